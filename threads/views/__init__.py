"""Thin views: parse input with a form, ask ``rules``, call one service, redirect
(or answer JSON/HTML fragments to the small script in static/js/qasite.js)."""
