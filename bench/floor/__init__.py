"""The benchmark floor: a separate, minimal Django project whose one view returns "ok".

`make bench` divides each page's throughput by this project's, served by the same gunicorn
and Python with the same workers and threads. It is deliberately not the site's own
`/health/`: that view runs behind the site's whole middleware stack (sessions, auth, CSRF,
security headers, the cache checks…), so using it as the floor hid the middleware's cost
and flattered every ratio. What is left here is what any Django page pays: gunicorn's
request handling, Django's WSGI handler, URL resolution and an HttpResponse.
"""
