"""MongoDB storage, one module per concern:

    client    connecting (from the settings), URI masking, ping, server kind, error classification
    articles  ArticleStore: the articles collection, its validator, indexes, keys and signatures
    stories   StoryLookup: stored near-duplicate candidates, by index (MongoDB) or by scan (FerretDB)
    writer    BatchWriter and write_with_retry: the store pipeline's batches, retries, spooling
    spool     Spool and replay: what could not be written, on disk until replayed
"""
