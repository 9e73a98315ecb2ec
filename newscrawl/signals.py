"""newscrawl's own signals, sent through ``crawler.signals`` so components never look each other up.

    crawler.signals.connect(receiver, signal=newscrawl.signals.article_accepted)
"""

# The store pipeline took an item into its write buffer (kwargs: item). Sent once per item.
article_accepted = object()

# Items the store pipeline accepted are now stored or spooled (kwargs: count, the number of accepted
# items durable so far; it only grows). A distributed worker acknowledges a request only once every
# item it yielded is durable.
articles_durable = object()

# The store can neither write nor spool (kwargs: reason): what it still holds waits for the close.
storage_failed = object()
