from django.urls import include, path

urlpatterns = [path("bench/", include("perf.urls"))]
