"""``titlesim serve``: the what-if and compare pages for many visitors, served by Voilà.

One Voilà server (the dashboard server Jupyter maintains) with four additions:

- an index page in the user's language at ``/`` linking the two pages;
- kernels released: a page's kernel is shut down once the page has been closed for
  ``closed_seconds``, and a page left open but unused after ``idle_minutes`` (Jupyter's
  kernel culler, :class:`VisitorKernelManager`), checked every ``check_seconds``;
- a cap on concurrent visitors: beyond ``max_visitors`` running kernels, a new visitor
  gets a polite page (HTTP 503) instead of a new kernel;
- downloads at ``/titlesim/download/<path>``: revision files under the scenarios folder
  and report files under the reports folder of the workspace, nothing else.

The pages' kernels learn where the workspace is through environment variables
(:mod:`titlesim.ui.settings`), so the notebooks stay three lines long.
"""
from __future__ import annotations

import html
import json
import os
import re
import sys
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

from titlesim.i18n import msg

PAGES = ("whatif", "compare")
DOWNLOAD_ROUTE = "titlesim/download/"
DOWNLOAD_SUFFIXES = (".yaml", ".yml", ".html", ".docx", ".pdf", ".xlsx", ".csv", ".json", ".png", ".svg")


@dataclass(frozen=True)
class ServeOptions:
    port: int = 8866
    host: str = "127.0.0.1"
    idle_minutes: float = 30.0  # a fraction too: 0.5 is 30 seconds
    closed_seconds: int = 30
    max_visitors: int = 20
    workspace: Path = Path(".")
    scenarios: Path | None = None  # default: <workspace>/scenarios
    lang: str = "zh"

    @property
    def scenario_dir(self) -> Path:
        return (self.scenarios or self.workspace / "scenarios").resolve()

    @property
    def idle_seconds(self) -> int:
        return max(round(self.idle_minutes * 60), 1)

    @property
    def check_seconds(self) -> int:
        """How often kernels are checked: every 10 s, or a third of the shorter limit if
        that is sooner, so that a limit is kept to within a third of itself."""
        return max(1, min(10, min(self.closed_seconds, self.idle_seconds) // 3))


def notebook_dir() -> Path:
    """The folder holding whatif.ipynb and compare.ipynb (shipped with the package)."""
    from titlesim.workfolder import shipped_path
    return shipped_path("notebooks")


def kernel_environment(options: ServeOptions) -> dict[str, str]:
    """What the pages' kernels read (:mod:`titlesim.ui.settings`)."""
    from titlesim.ui.settings import ENV_DOWNLOADS, ENV_FOLDER, ENV_LANG, ENV_WORKSPACE
    return {ENV_FOLDER: str(options.scenario_dir), ENV_WORKSPACE: str(options.workspace.resolve()),
            ENV_DOWNLOADS: "/" + DOWNLOAD_ROUTE, ENV_LANG: options.lang}


def voila_arguments(options: ServeOptions) -> list[str]:
    """Voilà's command line for ``options``."""
    kernels = "titlesim.ui.serve.VisitorKernelManager"
    return [
        str(notebook_dir()), "--no-browser", f"--port={options.port}", f"--Voila.ip={options.host}",
        "--Voila.port_retries=0", f"--VoilaConfiguration.multi_kernel_manager_class={kernels}",
        f"--MappingKernelManager.cull_idle_timeout={options.idle_seconds}",
        f"--MappingKernelManager.cull_interval={options.check_seconds}",
        "--MappingKernelManager.cull_connected=True",
        f"--VisitorKernelManager.closed_seconds={options.closed_seconds}",
        f"--TitlesimVoila.max_visitors={options.max_visitors}",
        f"--TitlesimVoila.workspace={options.workspace.resolve()}",
        f"--TitlesimVoila.scenario_dir={options.scenario_dir}",
        f"--TitlesimVoila.lang={options.lang}",
        f"--TitlesimVoila.idle_minutes={options.idle_minutes}",
        "--VoilaConfiguration.show_tracebacks=False",
    ]


def serve(options: ServeOptions) -> None:
    """Run the server until interrupted (Ctrl-C)."""
    os.environ.update(kernel_environment(options))
    TitlesimVoila.launch_instance(argv=voila_arguments(options))


# --------------------------------------------------------------------------- Voilà parts
# This module is imported only by the command (Voilà and Tornado are heavy); the classes
# are at module level so that traitlets can name them in configuration.
# Voilà first: without the notebooks extra, the command says which extra to install.
from voila.app import Voila  # noqa: E402,I001
from voila.tornado.handler import TornadoVoilaHandler  # noqa: E402
from jupyter_server.services.kernels.kernelmanager import AsyncMappingKernelManager  # noqa: E402
from jupyter_server.utils import url_path_join  # noqa: E402
from tornado import web  # noqa: E402
from traitlets import Float, Integer, Unicode  # noqa: E402


class VisitorKernelManager(AsyncMappingKernelManager):
    """Jupyter's culler (``cull_idle_timeout``: a page open but unused) plus a shorter
    timeout for a kernel whose page is closed: no connection and nothing sent or received
    for ``closed_seconds``."""

    closed_seconds = Integer(30, config=True,
                             help="Seconds after which a kernel without a connected page is shut down.")

    async def cull_kernel_if_idle(self, kernel_id):
        from jupyter_server._tz import utcnow
        kernel = self._kernels.get(kernel_id)
        last = getattr(kernel, "last_activity", None)
        if (kernel is not None and last is not None and not self._kernel_connections.get(kernel_id, 0)
                and getattr(kernel, "execution_state", None) != "busy"
                and utcnow() - last > timedelta(seconds=self.closed_seconds)):
            self.log.info("titlesim: shutting down kernel %s: its page has been closed", kernel_id)
            await self.shutdown_kernel(kernel_id)
            return
        await super().cull_kernel_if_idle(kernel_id)


def _page(title: str, body: str, lang: str) -> str:
    return (f"<!DOCTYPE html><html lang='{'zh-CN' if lang == 'zh' else 'en'}'><head><meta charset='utf-8'>"
            f"<meta name='viewport' content='width=device-width'><title>{html.escape(title)}</title>"
            "<style>body{font-family:'Noto Sans CJK SC','Microsoft YaHei',sans-serif;max-width:46em;"
            "margin:3em auto;padding:0 1em;color:#222;line-height:1.6}a.page{display:block;border:1px solid #ccd;"
            "border-radius:8px;padding:1em 1.2em;margin:1em 0;text-decoration:none;color:#1f4f8a}"
            "a.page:hover{background:#f3f6fb}.note{color:#666;font-size:90%}</style></head>"
            f"<body>{body}</body></html>")


def visitors(kernel_manager) -> int:
    """The pages counted against the cap: kernels starting or running, not those being shut
    down (a page just closed, or released for being unused: its kernel stays listed for up
    to a second or two while it stops, and a new visitor must not be turned away meanwhile)."""
    count = 0
    for kernel_id in kernel_manager.list_kernel_ids():
        try:
            kernel = kernel_manager.get_kernel(kernel_id)
        except KeyError:  # still starting: listed before it has a manager
            count += 1
            continue
        count += not getattr(kernel, "shutting_down", False)
    return count


class IndexHandler(web.RequestHandler):
    """The index page: the two pages and how busy the server is."""

    def initialize(self, app: "TitlesimVoila"):
        self.voila = app

    def get(self):
        lang = self.voila.lang
        running = visitors(self.voila.kernel_manager)
        links = "".join(
            f"<a class='page titlesim-page-{name}' href='{url_path_join(self.voila.base_url, 'voila/render', name + '.ipynb')}'>"
            f"<b>{html.escape(msg(f'serve.page.{name}', lang))}</b><br>"
            f"<span class='note'>{html.escape(msg(f'serve.page.{name}.about', lang))}</span></a>"
            for name in PAGES)
        body = (f"<h1>{html.escape(msg('serve.title', lang))}</h1>"
                f"<p>{html.escape(msg('serve.intro', lang))}</p>{links}"
                f"<p class='note titlesim-visitors'>{html.escape(msg('serve.visitors', lang, n=running, cap=self.voila.max_visitors))}</p>")
        self.set_header("Cache-Control", "no-store")
        self.finish(_page(msg("serve.title", lang), body, lang))


def closed_notice_script(idle_minutes: float, lang: str, poll_seconds: float | None = None) -> str:
    """A script for the head of a page: when the page's kernel has gone (shut down after
    ``idle_minutes`` unused, or the server stopped), a banner says so and offers a reload,
    instead of controls that silently no longer answer.

    It learns the page's kernel from its connection (``/api/kernels/<id>/channels``) and
    asks the server about that kernel every ``poll_seconds`` and when the connection
    closes (the server keeps the connection open when it shuts a kernel down, so closing
    alone does not tell): "not found" means the session was closed, no answer twice that
    the server is unreachable. Asking does not count as use of the kernel. By default it
    asks every 15 s, or every quarter of the idle limit if that is sooner (at most every 2 s).
    A limit under a minute is told in seconds."""
    if poll_seconds is None:
        poll_seconds = min(15.0, max(2.0, idle_minutes * 60 / 4))
    if idle_minutes < 1:
        culled = msg("serve.closed.seconds", lang, seconds=f"{idle_minutes * 60:.0f}")
    else:
        culled = msg("serve.closed", lang, minutes=f"{idle_minutes:g}")
    texts = {"culled": culled, "lost": msg("serve.lost", lang), "reload": msg("serve.reload", lang),
             "starting": msg("serve.loading.start", lang), "loading": msg("serve.loading", lang)}
    return "<script>(function(){var T=" + json.dumps(texts) + f";var POLL={int(poll_seconds * 1000)};" + r"""
var Native=window.WebSocket;
function show(kind){
  if(document.getElementById('titlesim-closed'))return;
  var box=document.createElement('div');box.id='titlesim-closed';box.className='titlesim-closed';
  box.setAttribute('role','alert');box.setAttribute('data-kind',kind);
  box.style.cssText='position:fixed;top:0;left:0;right:0;z-index:10000;background:#fff4e5;'+
    'display:flex;align-items:center;gap:1em;'+
    'border-bottom:2px solid #b5442c;padding:14px 20px;font-size:16px;line-height:1.6;color:#222;'+
    'box-shadow:0 2px 6px rgba(0,0,0,.25)';
  var text=document.createElement('span');text.textContent=T[kind];
  var again=document.createElement('button');again.className='titlesim-reload';again.textContent=T.reload;
  text.style.flex='1';
  again.style.cssText='flex:none;white-space:nowrap;padding:4px 14px;font-size:15px;cursor:pointer';
  again.onclick=function(){window.location.reload();};
  box.appendChild(text);box.appendChild(again);document.body.appendChild(box);
}
var kernel=null,failures=0;
function check(){
  if(!kernel||document.getElementById('titlesim-closed'))return;
  fetch(kernel,{credentials:'same-origin',cache:'no-store'}).then(
    function(r){failures=0;if(r.status===404)show('culled');},
    function(){if(++failures>=2)show('lost');});
}
function Watched(url,protocols){
  var ws=protocols===undefined?new Native(url):new Native(url,protocols);
  var found=/^(wss?)(:.*\/api\/kernels\/[^\/?]+)\/channels/.exec(String(url));
  if(found){
    if(!kernel)setInterval(check,POLL);
    kernel=(found[1]==='wss'?'https':'http')+found[2];
    ws.addEventListener('close',function(){setTimeout(check,1000);});
  }
  return ws;
}
Watched.prototype=Native.prototype;
['CONNECTING','OPEN','CLOSING','CLOSED'].forEach(function(k){Watched[k]=Native[k];});
window.WebSocket=Watched;
// while the notebook runs (the what-if page computes its first results), Voila's loading
// line says what happens in the visitor's language instead of "Running ..." and "Executing i of n"
function loading(i,n){
  var box=document.getElementById('loading');if(box&&box.style.display==='none')box.style.display='flex';
  var el=document.getElementById('loading_text');
  if(el)el.textContent=T.loading.replace('{i}',i).replace('{n}',n);
}
Object.defineProperty(window,'voila_process',{configurable:true,get:function(){return loading;},set:function(){}});
var first=new MutationObserver(function(){
  var el=document.getElementById('loading_text');
  if(el){el.textContent=T.starting;first.disconnect();}
});
first.observe(document,{childList:true,subtree:true});
})();</script>"""


class CappedVoilaHandler(TornadoVoilaHandler):
    """Voilà's page handler for the two pages only, refusing a new kernel beyond the cap;
    the page it sends tells the visitor when its session has been closed."""

    def initialize(self, titlesim_app: "TitlesimVoila", **kwargs):
        super().initialize(**kwargs)
        self.titlesim_app = titlesim_app
        self._notice_added = False

    def write(self, chunk):
        # Voilà streams the page in pieces; the notice goes into its head, before Voilà's
        # own scripts open the kernel connection, and after the charset, which a browser
        # looks for in the first 1024 bytes only
        if not self._notice_added and isinstance(chunk, str) and "<head>" in chunk:
            app = self.titlesim_app
            head = re.search(r"<meta charset[^>]*>", chunk) or re.search("<head>", chunk)
            chunk = chunk[:head.end()] + closed_notice_script(app.idle_minutes, app.lang) + chunk[head.end():]
            self._notice_added = True
        super().write(chunk)

    async def get(self, path=None):
        app, lang = self.titlesim_app, self.titlesim_app.lang
        if Path(path or "").stem not in PAGES or Path(path or "").suffix != ".ipynb":
            raise web.HTTPError(404)
        if visitors(self.kernel_manager) >= app.max_visitors:
            self.set_status(503)
            self.set_header("Retry-After", "60")
            body = (f"<h1>{html.escape(msg('serve.full.title', lang))}</h1>"
                    f"<p class='titlesim-full'>{html.escape(msg('serve.full', lang, cap=app.max_visitors))}</p>"
                    f"<p><a href='{app.base_url}'>{html.escape(msg('serve.back', lang))}</a></p>")
            self.finish(_page(msg("serve.full.title", lang), body, lang))
            return
        await super().get(path)


class DownloadHandler(web.StaticFileHandler):
    """Files of one folder (the scenarios, or the reports) as downloads: known file
    types only, no hidden files, nothing outside the folder."""

    def validate_absolute_path(self, root, absolute_path):
        relative = os.path.relpath(os.path.realpath(absolute_path), os.path.realpath(root))
        if relative.startswith("..") or any(part.startswith(".") for part in Path(relative).parts) \
                or not relative.lower().endswith(DOWNLOAD_SUFFIXES):
            raise web.HTTPError(404)
        return super().validate_absolute_path(root, absolute_path)

    def set_extra_headers(self, path):
        from urllib.parse import quote
        name = Path(path).name
        if not name.endswith(".html"):  # a report page opens in the browser
            self.set_header("Content-Disposition", f"attachment; filename*=UTF-8''{quote(name)}")


class TitlesimVoila(Voila):
    """Voilà serving the notebooks folder with titlesim's index, cap and downloads."""

    name = "titlesim-serve"
    max_visitors = Integer(20, config=True, help="Concurrent visitors (running kernels) at most.")
    workspace = Unicode(".", config=True, help="Folder whose reports/ the pages write to.")
    scenario_dir = Unicode("scenarios", config=True, help="Folder of the scenario files.")
    lang = Unicode("zh", config=True, help="Language of the index page (zh or en).")
    idle_minutes = Float(30.0, config=True, help="Minutes unused after which a page's kernel is shut down.")

    def init_handlers(self):
        handlers = []
        for pattern, handler, *rest in super().init_handlers():
            if handler is TornadoVoilaHandler:
                kwargs = {**(rest[0] if rest else {}), "titlesim_app": self}
                handlers.append((pattern, CappedVoilaHandler, kwargs))
            else:
                handlers.append((pattern, handler, *rest))
        folders = {"scenarios": os.path.realpath(self.scenario_dir),
                   "reports": os.path.join(os.path.realpath(self.workspace), "reports")}
        own = [(url_path_join(self.server_url, r"/?"), IndexHandler, {"app": self})]
        own += [(url_path_join(self.server_url, DOWNLOAD_ROUTE, kind, "(.*)"), DownloadHandler,
                 {"path": folder}) for kind, folder in folders.items()]
        return own + handlers


if __name__ == "__main__":  # pragma: no cover - ``python -m titlesim.ui.serve`` for debugging
    serve(ServeOptions(port=int(sys.argv[1]) if len(sys.argv) > 1 else 8866))
