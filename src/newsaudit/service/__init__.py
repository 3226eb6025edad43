"""The web service: REST API and server-rendered UI over the pipeline and the corpus store."""
