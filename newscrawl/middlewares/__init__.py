"""Downloader and spider middlewares, one component per module.

Orders and the reason for each are in settings.py (DOWNLOADER_MIDDLEWARES).
"""
