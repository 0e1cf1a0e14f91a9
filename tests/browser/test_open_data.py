"""A reader finds the open data from any public page and downloads the package, in Russian."""

import io
import zipfile

import pytest

from tests.support.browser import severe


@pytest.fixture(autouse=True)
def _own_folder(settings, tmp_path):
    settings.OPENDATA_ROOT = tmp_path / "opendata"


def test_a_reader_finds_the_data_page_and_downloads_the_package(
    seeded, page, live_server, screenshot, axe
):
    page.goto(f"{live_server.url}/ru/")
    page.get_by_role("navigation", name="Основное меню").get_by_role(
        "link", name="Открытые данные"
    ).click()
    page.wait_for_url(f"{live_server.url}/ru/data/")

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Скачать пакет данных (zip)").click()
    download = download_info.value
    with zipfile.ZipFile(io.BytesIO(open(download.path(), "rb").read())) as archive:
        names = archive.namelist()

    assert download.suggested_filename == "kz-kg-commitments.zip"
    assert "datapackage.json" in names and "data/commitments.csv" in names
    page.reload()  # now built: the page gives its size and date
    assert page.get_by_text("сведения на").is_visible()
    screenshot("open-data-ru")
    assert severe(axe("open-data-ru")) == {}
