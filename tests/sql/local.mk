# tests/sql
