"""A small scrapyd JSON API client (urllib, basic auth from the environment) and the deploy target."""

from __future__ import annotations

import base64
import configparser
import json
import os
import uuid
from pathlib import Path
from urllib.error import HTTPError, URLError
from urllib.parse import unquote, urlencode, urlsplit, urlunsplit
from urllib.request import Request, urlopen

from newscrawl.datadir import project_dir as datadir_project_dir

DEFAULT_URL = "http://127.0.0.1:6800/"
DEFAULT_PROJECT = "newscrawl"


def project_dir() -> Path:
    """The Scrapy project the operator works in: where scrapy.cfg is, from the working directory up, as
    `scrapy` finds it, else the checkout the package runs from (newscrawl/datadir.py), else here."""
    return datadir_project_dir() or Path.cwd()


class ScrapydError(Exception):
    """scrapyd answered an error (`status: error`, or an HTTP error other than 401)."""


class ScrapydUnavailable(ScrapydError):
    """scrapyd is unreachable or refused our credentials: nothing can be done this round."""


def deploy_target(target: str = "default", cfg_path: Path | None = None) -> dict:
    """url and project of a `[deploy]` / `[deploy:<target>]` section of scrapy.cfg (${ENV} expanded,
    as scrapyd-client does); defaults when absent."""
    cp = configparser.ConfigParser(interpolation=None)
    cp.read(cfg_path or project_dir() / "scrapy.cfg")
    section = "deploy" if target == "default" else f"deploy:{target}"
    values = dict(cp.items(section)) if cp.has_section(section) else {}
    if target != "default" and not values:
        raise ScrapydError(f"scrapy.cfg has no [{section}] section")
    url = os.path.expandvars(values.get("url", DEFAULT_URL))
    return {"url": url if url.endswith("/") else url + "/",
            "project": os.path.expandvars(values.get("project", DEFAULT_PROJECT))}


class Scrapyd:
    def __init__(self, url: str, *, timeout: float = 30.0, username: str | None = None, password: str | None = None):
        parts = urlsplit(url if url.endswith("/") else url + "/")
        # Credentials in the URL are used, and taken out of it so that no message shows them.
        host = f"[{parts.hostname}]" if ":" in (parts.hostname or "") else (parts.hostname or "")
        self.url = urlunsplit(parts._replace(netloc=host + (f":{parts.port}" if parts.port else "")))
        self.timeout = timeout
        user = os.environ.get("SCRAPYD_USERNAME", "") if username is None else username
        pw = os.environ.get("SCRAPYD_PASSWORD", "") if password is None else password
        if parts.username and parts.password and username is None:
            user, pw = unquote(parts.username), unquote(parts.password)
        self._auth = ("Basic " + base64.b64encode(f"{user}:{pw}".encode()).decode()) if user and pw else None

    def _call(self, endpoint: str, *, params: dict | None = None, data: bytes | None = None,
              content_type: str | None = None) -> dict:
        url = self.url + endpoint
        if data is None and params is not None and endpoint != "listjobs.json":
            data, content_type = urlencode(params, doseq=True).encode(), "application/x-www-form-urlencoded"
        elif params is not None:
            url += "?" + urlencode(params, doseq=True)
        req = Request(url, data=data, method="POST" if data is not None else "GET")
        if content_type:
            req.add_header("Content-Type", content_type)
        if self._auth:
            req.add_header("Authorization", self._auth)
        try:
            with urlopen(req, timeout=self.timeout) as resp:
                body = resp.read()
        except HTTPError as exc:
            if exc.code == 401:
                raise ScrapydUnavailable(f"{self.url}: 401 Unauthorized (set SCRAPYD_USERNAME and "
                                         f"SCRAPYD_PASSWORD)") from None
            raise ScrapydError(f"{url}: HTTP {exc.code} {exc.reason}") from None
        except (URLError, OSError) as exc:
            raise ScrapydUnavailable(f"{self.url}: unreachable ({getattr(exc, 'reason', exc)})") from None
        try:
            answer = json.loads(body)
        except ValueError:
            raise ScrapydError(f"{url}: not a JSON answer: {body[:200]!r}") from None
        if answer.get("status") != "ok":
            raise ScrapydError(f"{endpoint}: {answer.get('message', answer)}")
        return answer

    def daemonstatus(self) -> dict:
        return self._call("daemonstatus.json")

    def listjobs(self, project: str) -> dict:
        return self._call("listjobs.json", params={"project": project})

    def schedule(self, project: str, spider: str, *, args: dict | None = None, settings: dict | None = None,
                 priority: float | None = None) -> str:
        params = [("project", project), ("spider", spider)]
        params += [("setting", f"{k}={v}") for k, v in (settings or {}).items()]
        params += list((args or {}).items())
        if priority is not None:
            params.append(("priority", str(priority)))
        return self._call("schedule.json", data=urlencode(params).encode(),
                          content_type="application/x-www-form-urlencoded")["jobid"]

    def addversion(self, project: str, version: str, egg: bytes) -> dict:
        boundary = uuid.uuid4().hex
        parts = []
        for name, value in (("project", project), ("version", version)):
            parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode())
        parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="egg"; filename="{project}.egg"\r\n'
                     f"Content-Type: application/octet-stream\r\n\r\n".encode() + egg + b"\r\n")
        parts.append(f"--{boundary}--\r\n".encode())
        return self._call("addversion.json", data=b"".join(parts),
                          content_type=f"multipart/form-data; boundary={boundary}")
