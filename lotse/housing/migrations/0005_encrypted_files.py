"""Uploaded files are kept encrypted in the one file store (decision 0029): every file the
rows name, still plain on disk, is encrypted in place with the newest key (backwards: written
back as plain content)."""

from django.db import migrations

from lotse.core.files import encrypt_in_place


class Migration(migrations.Migration):
    dependencies = [
        ("housing", "0004_letterhead"),
    ]

    operations = [
        encrypt_in_place("housing", "Photo", name_field="storage_name", sha256_field="sha256", area="documents"),
    ]
