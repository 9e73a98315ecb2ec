"""Downloader and spider middlewares, one component per module.

Orders and the reason for each are in settings.py (DOWNLOADER_MIDDLEWARES); RenderMiddleware's in the
Rendering add-on (newscrawl/addons.py), which installs it. Each component with a switch raises
NotConfigured in from_crawler when its setting turns it off.
"""
