# tests/ui
