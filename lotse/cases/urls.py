from django.urls import path

from lotse.cases import views

app_name = "cases"

urlpatterns = [
    path("", views.referral_list, name="referral_list"),
]
