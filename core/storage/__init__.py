"""Storage: SQLAlchemy 2.x typed models, engines and sessions, Alembic migrations."""
