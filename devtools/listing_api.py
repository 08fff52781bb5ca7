"""The platform's listing API as a server answers it: the replay server (devtools/replay.py) over a saved
copy's `_api/` files, the benchmark site (benchmarks/site.py) over its generated articles.

    GET /service/api/article/list?scUnitMapId=<unit>&saArticleCateId=<cate id>&first=<n>&pageSize=<n>
        &jsonCallback=<name>          (also /sc_service/api/article/list, the newer builds' path)

The answer is {"response": items[first:first + min(pageSize, max_page_size)]} (`first` past the end: an
empty list), as JSONP `<name>({...});` when jsonCallback is given, plain JSON otherwise. An unknown unit
or cate, a malformed number or callback: {"erorr": "..."} (the platform's own spelling).
"""

from __future__ import annotations

import json
import re
from urllib.parse import parse_qsl

API_PATHS = ("/service/api/article/list", "/sc_service/api/article/list")
_CALLBACK = re.compile(r"[A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)*")


def listing_api(query: str, unit: str, items_of, max_page_size: int = 50,
                default_page_size: int = 10) -> tuple[bytes, str]:
    """(body, content type) of the platform's listing API for `query`, the site's items of a section being
    `items_of(cate id)` (newest first; None: no such section). Pure."""
    params = dict(parse_qsl(query, keep_blank_values=True))
    callback = params.get("jsonCallback", "")
    if callback and not _CALLBACK.fullmatch(callback):
        callback = ""  # never echo what is not a name into a script
        payload: dict = {"erorr": "jsonCallback không hợp lệ"}
    else:
        payload = _api_payload(params, unit, items_of, max_page_size, default_page_size)
    text = json.dumps(payload, ensure_ascii=False)
    if callback:
        return f"{callback}({text});".encode(), "application/javascript; charset=utf-8"
    return text.encode(), "application/json; charset=utf-8"


def _api_payload(params: dict, unit: str, items_of, max_page_size: int, default_page_size: int) -> dict:
    if params.get("scUnitMapId", "").lower() != unit.lower():
        return {"erorr": "Không tìm thấy đơn vị (scUnitMapId)"}
    items = items_of(params.get("saArticleCateId", ""))
    if items is None:
        return {"erorr": "Không tìm thấy chuyên mục (saArticleCateId)"}
    try:
        first = int(params.get("first") or 0)
        size = int(params.get("pageSize") or default_page_size)
    except ValueError:
        return {"erorr": "first, pageSize phải là số"}
    if first < 0 or size < 1:
        return {"erorr": "first, pageSize ngoài khoảng"}
    return {"response": items[first: first + min(size, max_page_size)]}
