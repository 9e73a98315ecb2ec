"""The Article contract: its fields (`fields`), its hashes (`hashing`) and its stored form (`document`)."""
