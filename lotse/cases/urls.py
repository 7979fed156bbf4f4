from django.urls import path

from lotse.cases.views import referrals

app_name = "cases"

# Mounted at the site root: case files, referrals, consents and task lists each under their
# own German path.
urlpatterns = [
    # Referrals
    path("verweisungen/", referrals.referral_list, name="referral_list"),
    # Case files
    # Consents, disclosures, documents
    # Follow-ups and task lists
]
