"""Slow PDFs became one case of background downloads (koers.jobs.downloads): the stored
file keeps its content type, and the jobs of kind "pdf" are of kind "download"."""

import django.db.models.deletion
from django.db import migrations, models


def pdf_to_download(apps, schema_editor):
    apps.get_model("jobs", "Job").objects.filter(kind="pdf").update(kind="download")


def download_to_pdf(apps, schema_editor):
    apps.get_model("jobs", "Job").objects.filter(kind="download").update(kind="pdf")


class Migration(migrations.Migration):
    dependencies = [
        ("jobs", "0002_stored_pdf"),
    ]

    operations = [
        migrations.RenameModel(old_name="StoredPdf", new_name="StoredDownload"),
        migrations.AddField(
            model_name="storeddownload",
            name="content_type",
            field=models.CharField(default="application/pdf", max_length=100),
        ),
        migrations.AlterField(
            model_name="storeddownload",
            name="job",
            field=models.OneToOneField(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="download",
                to="jobs.job",
            ),
        ),
        migrations.RunPython(pdf_to_download, download_to_pdf),
    ]
