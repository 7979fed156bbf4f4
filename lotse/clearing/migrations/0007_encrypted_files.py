"""Uploaded files are kept encrypted in the one file store (decision 0029): every file the
rows name, still plain on disk, is encrypted in place with the newest key (backwards: written
back as plain content)."""

from django.db import migrations

from lotse.core.files import encrypt_in_place


class Migration(migrations.Migration):
    dependencies = [
        ("clearing", "0006_encrypted_free_text"),
    ]

    operations = [
        encrypt_in_place("clearing", "RegisterImport", name_field="file_token", sha256_field="file_sha256", area="imports"),
    ]
