"""Feeds, the sitemap and robots.txt (feeds/)."""

import xml.etree.ElementTree as ET

ATOM = "{http://www.w3.org/2005/Atom}"
SITE = "https://qa.example.org"


def parse(response) -> ET.Element:
    assert response.status_code == 200, response.status_code
    return ET.fromstring(response.content)
