"""What ingestion stores: suggestions awaiting review, and per-commitment match terms.

Registered by the ingestion app (`commitments.ingestion`); they keep the app label `commitments`,
and so their tables, migrations, content types and permissions.
"""

from __future__ import annotations

import hashlib
import json

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from commitments.models import actor_user_field, commitment_field
from commitments.rules import PARTIES

from . import kinds


class MatchTerm(models.Model):
    """A phrase (a name, a project's short name) that, found in an article, points at a commitment.

    Titles in every language are matched already; these add what titles lack: "Камбар-Ата-1",
    "CASA-1000", a plant's local name. Staff edit them with the commitment.
    """

    commitment = commitment_field(related_name="match_terms")
    term = models.CharField(_("term"), max_length=200)

    class Meta:
        app_label = "commitments"
        verbose_name = _("match term")
        verbose_name_plural = _("match terms")
        ordering = ["commitment_id", "term"]
        constraints = [
            models.UniqueConstraint(fields=["commitment", "term"], name="match_term_unique"),
            models.CheckConstraint(condition=~Q(term=""), name="match_term_not_empty"),
        ]

    def __str__(self) -> str:
        return self.term


def proposal_key(kind: str, commitment_id: int | None, quote: str, payload: dict) -> str:
    """What a suggestion proposes, whatever the sentence's place in the source: one announcement
    repeated a thousand times is one proposal."""
    raw = json.dumps([kind, commitment_id, quote, payload], sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(raw.encode("utf-8", "surrogatepass")).hexdigest()


class SuggestionQuerySet(models.QuerySet):
    def bulk_create(self, objs, *args, **kwargs):
        """Store one suggestion per distinct proposal of a source, and at most
        INGESTION_MAX_SUGGESTIONS_PER_SOURCE per source, whoever builds them (the analysis stores
        its proposals here). A list passed in keeps only what is stored, so its caller reports
        what the queue got."""
        given = objs if isinstance(objs, list) else list(objs)
        kept = _distinct_within_cap(given)
        if isinstance(objs, list):
            objs[:] = kept
        return super().bulk_create(kept, *args, **kwargs)


def _distinct_within_cap(suggestions: list[Suggestion]) -> list[Suggestion]:
    cap = settings.INGESTION_MAX_SUGGESTIONS_PER_SOURCE
    known: dict[int, set[str]] = {}
    kept = []
    for suggestion in suggestions:
        suggestion.proposal_key = suggestion.proposal_key or suggestion.proposal()
        keys = known.get(suggestion.source_id)
        if keys is None:
            stored = Suggestion.objects.filter(source_id=suggestion.source_id)
            keys = known[suggestion.source_id] = set(stored.values_list("proposal_key", flat=True))
        if suggestion.proposal_key in keys or len(keys) >= cap:
            continue
        keys.add(suggestion.proposal_key)
        kept.append(suggestion)
    return kept


class Suggestion(models.Model):
    """One proposal read from a source, waiting for a person to accept or reject it."""

    # Declared in `kinds` (Kind.EVIDENCE, Kind.OBSERVATION, ...): a new kind is a new choice.
    Kind = models.TextChoices("Kind", [(k.name.upper(), (k.name, k.label)) for k in kinds.KINDS])

    class State(models.TextChoices):
        PENDING = "pending", _("Pending")
        ACCEPTED = "accepted", _("Accepted")
        REJECTED = "rejected", _("Rejected")

    source = models.ForeignKey(
        "commitments.Source",
        verbose_name=_("source"),
        on_delete=models.CASCADE,
        related_name="suggestions",
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    commitment = commitment_field(related_name="suggestions", null=True, blank=True)
    quote = models.TextField(_("quote"), help_text=_("A whole sentence of the source, verbatim."))
    start = models.PositiveIntegerField(_("start"))
    end = models.PositiveIntegerField(_("end"))
    score = models.FloatField(_("score"))
    method = models.CharField(_("method"), max_length=60)
    method_version = models.CharField(_("method version"), max_length=20)
    payload = models.JSONField(_("details"), default=dict, blank=True)
    # What makes two analyses' proposals the same one: re-analysis skips a fingerprint it has
    # already proposed, so a rejected suggestion is never proposed again.
    fingerprint = models.CharField(_("fingerprint"), max_length=64, editable=False)
    # What it proposes (`proposal_key`): a source has one suggestion per distinct proposal.
    proposal_key = models.CharField(_("proposal"), max_length=64, editable=False)
    status = models.CharField(
        _("status"), max_length=10, choices=State.choices, default=State.PENDING
    )
    reason = models.TextField(_("reason"), blank=True)
    reviewed_by = actor_user_field(_("reviewed by"))
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = SuggestionQuerySet.as_manager()

    class Meta:
        app_label = "commitments"
        verbose_name = _("suggestion")
        verbose_name_plural = _("suggestions")
        ordering = ["source_id", "start", "id"]
        indexes = [models.Index(fields=["status", "source"], name="suggestion_status_source")]
        constraints = [
            models.UniqueConstraint(
                fields=["source", "fingerprint"], name="suggestion_source_fingerprint_unique"
            ),
            models.UniqueConstraint(
                fields=["source", "proposal_key"], name="suggestion_source_proposal_unique"
            ),
            models.CheckConstraint(
                condition=Q(start__lte=models.F("end")), name="suggestion_offsets_ordered"
            ),
            models.CheckConstraint(
                condition=Q(kind__in=[kind.name for kind in kinds.KINDS]),
                name="suggestion_kind_valid",
            ),
            models.CheckConstraint(
                condition=Q(status__in=["pending", "accepted", "rejected"]),
                name="suggestion_status_valid",
            ),
        ]

    def __str__(self) -> str:
        # What is proposed (a new commitment's title, a meeting's name), else what is pointed at.
        proposed = self.payload.get("title") or self.payload.get("name")
        target = proposed or (self.commitment.title if self.commitment else "")
        return f"{self.get_kind_display()}: {target}"[:120]

    def save(self, *args, **kwargs):
        if not self.proposal_key:
            self.proposal_key = self.proposal()
        super().save(*args, **kwargs)

    def proposal(self) -> str:
        return proposal_key(self.kind, self.commitment_id, self.quote, self.payload)

    @property
    def deciding_countries(self) -> list[str]:
        """The countries whose staff may decide a suggestion about no commitment: those a
        proposed new commitment names, else (a meeting) the two parties'."""
        return self.proposed_countries or list(PARTIES)

    @property
    def proposed_countries(self) -> list[str]:
        """The countries a proposed new commitment names (both parties when the article named
        neither); [] when the suggestion proposes no new commitment."""
        if self.kind != self.Kind.COMMITMENT:
            return []
        return list(self.payload.get("countries") or PARTIES)


class CommitmentProfile(models.Model):
    """What the analysis knows of one commitment, kept up to date by the services that change it.

    Vectors of its titles in every language, its staff-edited match terms and the quotes of its
    evidence (so accepting a suggestion teaches it a new wording), the lemmas of its object words
    per language, and a calibration per language (how similar unrelated press sentences are to
    it) so that a score means the same in English and in Russian. Rejected pairings are kept as
    the rejected quotes' vectors, which lower the same pairing the next time. Computed when the
    profile is refreshed, never per article.
    """

    commitment = models.OneToOneField(
        "Commitment",
        on_delete=models.CASCADE,
        related_name="analysis_profile",
    )
    model = models.CharField(max_length=60)
    texts = models.JSONField(default=list)
    # float16 rows, one per text, of the model's dimensions.
    vectors = models.BinaryField(default=bytes)
    rejected = models.BinaryField(default=bytes)
    keys = models.JSONField(default=dict)
    calibration = models.JSONField(default=dict)
    updated_at = models.DateTimeField(auto_now=True)
    # An internal table of the analysis, never shown to anyone: no verbose names to translate.

    class Meta:
        app_label = "commitments"

    def __str__(self) -> str:
        return str(self.commitment_id)
