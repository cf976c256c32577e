"""gunicorn and `flask` find the app here: gunicorn wsgi:app."""

from surveyapp import create_app

app = create_app()
