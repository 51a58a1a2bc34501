"""The HTTP API (FastAPI): thin routes over the application services in
:mod:`woundcare.service`. The contract is docs/runtime-bootstrap.md section 7."""
