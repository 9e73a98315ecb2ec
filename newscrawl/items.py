from newscrawl.article.fields import Article  # noqa: F401  (Scrapy's conventional home of the item)
