"""Benchmark harness for rota.planner on the Curtois & Qu nurse-rostering instances."""
