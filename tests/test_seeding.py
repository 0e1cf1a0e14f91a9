"""The seed loader: the real seeds load, twice changes nothing, and any bad input saves nothing."""

import io
import re
import shutil
from pathlib import Path

import pytest
import yaml
from django.conf import settings
from django.core.management import CommandError, call_command

from commitments import rules
from commitments.actors import SystemActor
from commitments.models import (
    Commitment,
    Country,
    Evidence,
    Meeting,
    ProgressObservation,
    Source,
    StatusChange,
)

SEEDS = Path(settings.BASE_DIR) / "seeds"
MODELS = (Country, Meeting, Source, Commitment, Evidence, StatusChange, ProgressObservation)


def snapshot():
    return {model.__name__: sorted(model.objects.values_list("pk", flat=True)) for model in MODELS}


def load(directory=SEEDS):
    call_command("load_seeds", "--dir", str(directory), stdout=open("/dev/null", "w"))  # noqa: SIM115


def test_seeds_load_and_a_second_run_changes_nothing(db):
    load()
    first = snapshot()
    reviewed = dict(Commitment.objects.values_list("slug", "last_reviewed_at"))

    load()

    assert snapshot() == first
    assert dict(Commitment.objects.values_list("slug", "last_reviewed_at")) == reviewed
    assert len(first["Commitment"]) >= 15


def test_every_seed_article_yields_a_commitment_with_verbatim_evidence(db):
    load()
    articles = sorted(p.name for p in SEEDS.glob("*.txt"))
    assert len(articles) == 5
    for name in articles:
        source = Source.objects.get(seed_file=name)
        assert source.text == (SEEDS / name).read_text(encoding="utf-8")
        evidence = Evidence.objects.filter(source=source)
        assert evidence.values("commitment").distinct().count() >= 1, name
        for item in evidence:
            assert item.quote and item.quote in source.text


def test_a_commitment_named_in_several_articles_is_one_commitment(db):
    load()
    complex_ = Commitment.objects.get(slug="border-industrial-trade-logistics-complex")
    assert complex_.evidence.values("source").distinct().count() >= 3


def test_articles_that_disagree_keep_both_figures(db):
    load()
    trade = Commitment.objects.get(slug="trade-turnover-2bn")
    jan_jul = trade.observations.filter(period_start="2023-01-01", period_end="2023-07-31")
    assert {str(o.value) for o in jan_jul} >= {"757000000.00", "755400000.00"}
    assert "755.4" in trade.notes


def test_seeded_history_ends_at_the_current_status(db):
    load()
    for commitment in Commitment.objects.all():
        assert commitment.status_changes.last().new_status == commitment.status


def test_seeded_history_and_evidence_name_the_seed_loader(db):
    load()
    loader = SystemActor.SEED_LOADER
    assert StatusChange.objects.exists()
    assert set(StatusChange.objects.values_list("changed_by", "changed_by_system")) == {
        (None, loader)
    }
    assert set(Evidence.objects.values_list("added_by", "added_by_system")) == {(None, loader)}
    assert {change.actor_name() for change in StatusChange.objects.all()} == {"seed loader"}


def test_staff_changes_survive_a_reload(db):
    load()
    Commitment.objects.filter(slug="solar-power-plants").update(status="stalled")
    load()
    assert Commitment.objects.get(slug="solar-power-plants").status == "stalled"


@pytest.fixture
def seed_copy(tmp_path):
    """A writable copy of seeds/ and a function that rewrites its YAML."""
    directory = tmp_path / "seeds"
    shutil.copytree(SEEDS, directory)
    path = directory / "commitments.yaml"

    def edit(change):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        change(data)
        path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), "utf-8")

    return directory, edit


def _last(data):
    return data["commitments"][-1]


BAD_INPUTS = {
    "quote not in source": (
        lambda d: _last(d)["evidence"][0].update(quote="a sentence no article contains"),
        "quote not found verbatim",
    ),
    "unknown owner country": (lambda d: _last(d).update(owner="XX"), "unknown country 'XX'"),
    "unknown partner country": (lambda d: _last(d).update(partners=["ZZ"]), "unknown country 'ZZ'"),
    "unknown status": (lambda d: _last(d).update(status="finished"), "unknown status 'finished'"),
    "unknown category": (lambda d: _last(d).update(category="space"), "unknown category 'space'"),
    "missing title": (lambda d: _last(d).pop("title"), "missing required field 'title'"),
    "bad date": (lambda d: _last(d).update(target_date="next year"), "must be a date"),
    "bad amount": (lambda d: _last(d).update(target_amount="lots"), "must be a number"),
    "duplicate key": (
        lambda d: d["commitments"].append(dict(d["commitments"][0])),
        "duplicate key",
    ),
    "missing article": (lambda d: d["sources"][0].update(file="nope.txt"), "not found"),
    "evidence from undeclared source": (
        lambda d: _last(d)["evidence"][0].update(source="other.txt"),
        "unknown source 'other.txt'",
    ),
    "control character in a title": (
        lambda d: _last(d).update(title="Signed\u0001"),
        "contains a control character U+0001",
    ),
    "commitment is not a mapping": (
        lambda d: d["commitments"].append("oops"),
        "expected a mapping",
    ),
}


@pytest.mark.parametrize("case", sorted(BAD_INPUTS))
def test_bad_input_stops_the_load_naming_file_entry_and_problem(db, seed_copy, case):
    directory, edit = seed_copy
    change, problem = BAD_INPUTS[case]
    edit(change)

    with pytest.raises(CommandError) as caught:
        load(directory)

    message = str(caught.value)
    assert "commitments.yaml" in message
    assert problem in message
    assert snapshot() == {model.__name__: [] for model in MODELS}


def test_a_forbidden_move_in_seeded_history_is_refused(db, seed_copy):
    directory, edit = seed_copy
    edit(
        lambda d: _last(d).update(
            status="completed",
            history=[{"status": "announced", "on": "2023-09-24"}, {"status": "completed"}],
        )
    )
    refusal = str(rules.transition_refusal("announced", "completed"))
    with pytest.raises(CommandError, match=re.escape(refusal)):
        load(directory)
    assert not Commitment.objects.exists()


def test_malformed_yaml_saves_nothing(db, seed_copy):
    directory, _ = seed_copy
    (directory / "commitments.yaml").write_text("commitments: [unclosed", encoding="utf-8")
    with pytest.raises(CommandError, match="not valid YAML"):
        load(directory)
    assert snapshot() == {model.__name__: [] for model in MODELS}


def test_an_error_in_the_last_entry_rolls_back_the_earlier_ones(db, seed_copy):
    directory, edit = seed_copy
    edit(lambda d: _last(d).update(owner="XX"))
    with pytest.raises(CommandError, match=r"commitments\[\d+\]"):
        load(directory)
    assert not Country.objects.exists()
    assert not Source.objects.exists()


def test_every_seed_commitment_and_meeting_reads_in_russian_kazakh_and_kyrgyz(db):
    load()
    commitments = list(Commitment.objects.all())
    assert len(commitments) == 21
    for c in commitments:
        for column in ("title_ru", "description_ru", "title_kk", "title_ky"):
            text = getattr(c, column)
            assert text and text != c.title_en, (c.slug, column)
        assert re.search("[а-яё]", c.title_ru + c.description_ru, re.IGNORECASE), c.slug
    meetings = list(Meeting.objects.all())
    assert len(meetings) == 3
    for m in meetings:
        assert all(getattr(m, f"name_{code}") for code in ("en", "ru", "kk", "ky")), m.key
    # The articles are in English, and their quotes stay verbatim in it.
    assert set(Source.objects.values_list("language", flat=True)) == {"en"}
    for evidence in Evidence.objects.select_related("source"):
        assert evidence.quote in evidence.source.text


def test_a_reload_fills_empty_translations_and_never_overwrites_staff_text(db):
    load()
    solar = Commitment.objects.get(slug="solar-power-plants")
    Commitment.objects.filter(pk=solar.pk).update(title_ru="Солнечные станции (ред.)", title_kk="")
    Meeting.objects.filter(key="igc-bishkek-2024").update(name_ky=None)
    version = Commitment.objects.get(pk=solar.pk).version

    out = io.StringIO()
    call_command("load_seeds", "--dir", str(SEEDS), stdout=out)

    solar = Commitment.objects.get(pk=solar.pk)
    assert solar.title_ru == "Солнечные станции (ред.)"  # staff's text kept
    assert solar.title_kk == "Бірлескен жоба ретінде күн электр станцияларын салу"  # filled
    assert solar.version == version + 1
    assert Meeting.objects.get(key="igc-bishkek-2024").name_ky
    assert "commitments: 1 translated" in out.getvalue()
    assert "meetings: 1 translated" in out.getvalue()
    # And a third run has nothing left to fill.
    before = dict(Commitment.objects.values_list("slug", "version"))
    load()
    assert dict(Commitment.objects.values_list("slug", "version")) == before


def test_an_unknown_source_language_stops_the_load(db, seed_copy):
    directory, edit = seed_copy
    edit(lambda d: d["sources"][0].update(language="xx"))
    with pytest.raises(CommandError, match="unknown language 'xx'"):
        load(directory)
    assert not Source.objects.exists()


def test_the_first_load_reports_everything_created_and_nothing_unchanged(db):
    # Evidence named twice in the file (an entry's and an observation's) is one record: on an
    # empty database it was reported "46 created, 6 unchanged".
    out = io.StringIO()
    call_command("load_seeds", "--dir", str(SEEDS), stdout=out)

    assert "unchanged" not in out.getvalue().replace(" 0 unchanged", ""), out.getvalue()
    assert f"evidence: {Evidence.objects.count()} created, 0 unchanged" in out.getvalue()

    again = io.StringIO()
    call_command("load_seeds", "--dir", str(SEEDS), stdout=again)
    assert f"evidence: 0 created, {Evidence.objects.count()} unchanged" in again.getvalue()
