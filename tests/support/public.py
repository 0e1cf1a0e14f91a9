"""Helpers for the public pages' tests."""


def page_html(response, status: int = 200) -> str:
    """The page's HTML, once it has answered with `status`."""
    assert response.status_code == status
    return response.content.decode()
