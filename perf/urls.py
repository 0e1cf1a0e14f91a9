"""The benchmark's reference views, under /bench/ only when BENCHMARK_REFERENCE_VIEWS is on."""

from django.urls import path

from .reference import PlainCommitmentViewSet, bare_flat_list, bare_list

app_name = "bench"

urlpatterns = [
    path(
        "plain-drf/commitments/",
        PlainCommitmentViewSet.as_view({"get": "list"}),
        name="plain-list",
    ),
    path(
        "plain-drf/commitments/<int:pk>/",
        PlainCommitmentViewSet.as_view({"get": "retrieve"}),
        name="plain-detail",
    ),
    path("bare/commitments/", bare_list, name="bare-list"),
    path("bare-flat/commitments/", bare_flat_list, name="bare-flat-list"),
]
