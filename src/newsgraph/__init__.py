"""newsgraph: news reports of officials' visits to companies and institutes, as a knowledge graph."""
