//! Unit tests of the logs: documents, queries, Lucene, aggregations, PIT.
