-- The per-key request counters are worth nothing after a crash (a window lasts one second), so the
-- table skips the write-ahead log: a request's count commits without waiting for a WAL flush.
-- PostgreSQL empties an unlogged table after a crash, which here only resets the current second.
ALTER TABLE "ApiRateWindow" SET UNLOGGED;
