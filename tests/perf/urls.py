from django.urls import include, path

urlpatterns = [path("bench/", include("commitments.benchmarking.urls"))]
