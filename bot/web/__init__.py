"""The web app: the Gradio page (page.py), the source routes (sources.py), and the FastAPI
app that carries both (app.py). Only page.py imports gradio."""
