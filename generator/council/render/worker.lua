-- council's one pandoc driver, a long-lived pandoc process: one JSON request per line on stdin, one
-- JSON answer per line on stdout (render/pandoc_worker.py types both). It renders briefings, the
-- library's reference list and the report to Parliament (report.lua); all share common.lua, so
-- citations, numbering and documents are handled alike. Keeping pandoc alive avoids a process start
-- per note and per format; each request carries only the references its note cites, so nobody
-- re-reads the whole library.
local json = pandoc.json
local here = pandoc.path.directory(PANDOC_SCRIPT_FILE or arg[0])
local common = dofile(pandoc.path.join{here, "common.lua"})
local render_report = dofile(pandoc.path.join{here, "report.lua"})(common)
local headings = common.headings

local function with_reference_heading(blocks, refs, title)
  local all = pandoc.Blocks{}
  all:extend(blocks)
  if refs then
    all:insert(pandoc.Header(2, title, pandoc.Attr("references", {"unnumbered"})))
    all:insert(refs)
  end
  return all
end

-- Images: the same note image is referred to differently by each format (a copy beside the site page,
-- a root-relative path for typst, an absolute path for pandoc's DOCX writer).
local function with_images(blocks, images, format)
  if not images or next(images) == nil then return blocks end
  return pandoc.Blocks(blocks):walk{Image = function(image)
    local place = images[image.src]
    if not place then return image end
    if format == "file" then  -- read here, named by content: documents keep the name, never a build path
      local file = assert(io.open(place.file, "rb"))
      pandoc.mediabag.insert(place.html, nil, file:read("a"))
      file:close()
      image.src = place.html
      return image
    end
    image.src = place[format]
    if format == "typst" then  -- PDF/UA needs alt text, which pandoc's typst writer leaves out
      local function quoted(text) return '"' .. text:gsub("\\", "\\\\"):gsub('"', '\\"') .. '"' end
      local alt = pandoc.utils.stringify(image.caption)
      return pandoc.RawInline("typst", "#image(" .. quoted(image.src) .. ", alt: " .. quoted(alt) .. ")")
    end
    return image
  end}
end

-- Word users and `council import` see live citations: each citation in the DOCX sits inside a
-- Zotero citation field (ADDIN ZOTERO_ITEM CSL_CITATION {json}) around the text citeproc rendered,
-- carrying the cited works' CSL JSON and the pin cite as a CSL locator with its label.
local FIELD_LABELS = {
  p = "page", pp = "page", para = "paragraph", paras = "paragraph", s = "section", ss = "section",
  sec = "section", ch = "chapter", chs = "chapter", n = "note", nn = "note", fn = "note", vol = "volume",
  col = "column", l = "line", ll = "line",
}
local CSL_CITATION_SCHEMA = "https://github.com/citation-style-language/schema/raw/master/csl-citation.json"

local function xml_escape(text)
  return (text:gsub("&", "&amp;"):gsub("<", "&lt;"):gsub(">", "&gt;"))
end

-- ", p 3 and passim" -> locator "3", label "page", suffix "and passim" (labels with or without a full stop)
local function field_locator(suffix)
  local i = 1
  while suffix[i] and ((suffix[i].t == "Str" and suffix[i].text == ",") or suffix[i].t == "Space") do i = i + 1 end
  local label, gap, number = suffix[i], suffix[i + 1], suffix[i + 2]
  if label and label.t == "Str" and FIELD_LABELS[(label.text:gsub("%.$", ""))]
      and gap and gap.t == "Space" and number and number.t == "Str" then
    local rest = pandoc.Inlines{}
    for j = i + 3, #suffix do rest:insert(suffix[j]) end
    local locator, tail = number.text:match("^(.-)([,;:]?)$")
    local text = pandoc.utils.stringify(rest):gsub("^%s+", "")
    return locator, FIELD_LABELS[(label.text:gsub("%.$", ""))], (tail ~= "" and tail .. " " or "") .. text
  end
  return nil, nil, (pandoc.utils.stringify(suffix):gsub("^%s+", ""))
end

local function citation_field(cite, shown, items, number)
  local field_items = {}
  for _, citation in ipairs(cite.citations) do
    local item = {id = citation.id, itemData = items[citation.id]}
    local locator, label, suffix = field_locator(citation.suffix)
    if locator then item.locator, item.label = locator, label end
    if suffix ~= "" then item.suffix = suffix end
    local prefix = pandoc.utils.stringify(citation.prefix)
    if prefix ~= "" then item.prefix = prefix end
    if citation.mode == "SuppressAuthor" then item["suppress-author"] = true end
    table.insert(field_items, item)
  end
  local plain = pandoc.utils.stringify(shown)
  local data = {citationID = string.format("council%04d", number), citationItems = field_items,
                properties = {formattedCitation = plain, plainCitation = plain, noteIndex = 0},
                schema = CSL_CITATION_SCHEMA}
  local code = " ADDIN ZOTERO_ITEM CSL_CITATION " .. json.encode(data) .. " "
  local wrapped = pandoc.Inlines{pandoc.RawInline("openxml",
    '<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText xml:space="preserve">'
    .. xml_escape(code) .. '</w:instrText></w:r><w:r><w:fldChar w:fldCharType="separate"/></w:r>')}
  wrapped:extend(shown)
  wrapped:insert(pandoc.RawInline("openxml", '<w:r><w:fldChar w:fldCharType="end"/></w:r>'))
  return wrapped
end

local function with_citation_fields(blocks, references)
  local items = {}
  for _, item in ipairs(json.decode(references, false)) do items[item.id] = item end
  local count = 0
  return pandoc.Blocks(blocks):walk{Cite = function(cite)
    count = count + 1
    local note = cite.content[1]
    if #cite.content == 1 and note.t == "Note" and #note.content == 1 and note.content[1].t == "Para" then
      -- a note style made this footnote: the field sits inside it, as Zotero places it
      note.content[1].content = citation_field(cite, note.content[1].content, items, count)
    else
      cite.content = citation_field(cite, cite.content, items, count)
    end
    return cite
  end}
end

-- HTML only: the first use of each glossary term in the body carries <abbr title="expansion">. The
-- term is matched whole (with any plural "s" and surrounding punctuation kept as text); the title is the
-- glossary's expansion, escaped, and the author's own text is never written raw.
local function html_escape(text)
  return (text:gsub("&", "&amp;"):gsub("<", "&lt;"):gsub(">", "&gt;"):gsub('"', "&quot;"):gsub("'", "&#39;"))
end

local function with_abbreviations(blocks, expansions)
  if not expansions or next(expansions) == nil then return blocks end
  local marked = {}
  local function mark(str)
    local lead, word, tail = str.text:match("^([^%w]*)([%w]+)([^%w]*)$")
    if not word then return nil end
    local term, plural = word, ""
    if not expansions[term] and word:sub(-1) == "s" then term, plural = word:sub(1, -2), "s" end
    local expansion = expansions[term]
    if not expansion or marked[term] then return nil end
    marked[term] = true
    local out = pandoc.Inlines{}
    if lead ~= "" then out:insert(pandoc.Str(lead)) end
    out:insert(pandoc.RawInline("html", '<abbr title="' .. html_escape(expansion) .. '">' .. html_escape(term)
                                        .. "</abbr>"))
    if plural .. tail ~= "" then out:insert(pandoc.Str(plural .. tail)) end
    return out
  end
  -- not inside links (an abbr in a link would change what the link says) nor code
  return pandoc.Blocks(blocks):walk{traverse = "topdown", Link = function(link) return link, false end, Str = mark}
end

local function render(req)
  local doc = pandoc.read(req.markdown, "markdown")
  doc = doc:walk(common.SANITISE):walk(common.LANGUAGES)
  doc.blocks = common.floats(doc.blocks)
  doc = common.cite(doc, req.style)
  doc.blocks = common.separate_adjacent_notes(doc.blocks)
  local body, refs = common.take_references(doc.blocks)
  if refs and req.style.legal_tables then refs = common.reference_tables(refs, req.style.references) end
  local opts = {wrap_text = "wrap-none"}

  local answer = {headings = headings(body)}
  local html_body = with_abbreviations(with_images(body, req.images, "html"), req.abbreviations)
  answer.html = pandoc.write(pandoc.Pandoc(common.scrollable_tables(html_body), doc.meta), "html5", opts)
  answer.references_html = refs and pandoc.write(pandoc.Pandoc({refs}), "html5", opts) or ""
  if refs and req.style.legal_tables then refs = common.word_bibliography(refs) end

  local full = with_reference_heading(body, refs, req.references_title)
  local typst_blocks = common.for_typst(common.typst_languages(with_images(full, req.images, "typst")))
  answer.typst = pandoc.write(pandoc.Pandoc(typst_blocks, doc.meta), common.TYPST, opts)

  local document_body = common.unlinked_crossrefs(with_images(full, req.images, "file"))
  for _, document in ipairs(req.documents) do
    local blocks = document_body
    if document.writer == "docx" then blocks = with_citation_fields(document_body, req.style.references) end
    common.write_document(document, blocks, req.style.lang)
  end
  pandoc.mediabag.empty()  -- this worker renders many notes: keep none of this one's images
  return answer
end

-- The reference list alone, for every work given (the Council's library page): each entry as an
-- HTML fragment with its key, in the style's own order.
local function render_bibliography(req)
  local doc = pandoc.read("---\nnocite: '[@*]'\n---\n", "markdown")
  doc.meta.references = pandoc.read(req.references, "csljson").meta.references
  doc.meta.csl = req.csl
  doc.meta.lang = req.lang
  doc = pandoc.utils.citeproc(doc)
  local _, refs = common.take_references(doc.blocks)
  local entries = {}
  for _, entry in ipairs(refs and refs.content or {}) do
    if entry.t == "Div" and entry.identifier:match("^ref%-") then
      local html = pandoc.write(pandoc.Pandoc(entry.content), "html5", {wrap_text = "wrap-none"})
      table.insert(entries, {key = entry.identifier:sub(5), html = html})
    end
  end
  return {entries = entries}
end

local HANDLERS = {briefing = render, bibliography = render_bibliography, report = render_report}

for line in io.lines() do
  local ok, request = pcall(json.decode, line, false)
  local answer
  if not ok then
    answer = {ok = false, error = "bad request: " .. tostring(request)}
  else
    local handler = HANDLERS[request.kind or "briefing"] or render
    local done, result = pcall(handler, request)
    if done then answer = {ok = true, result = result} else answer = {ok = false, error = tostring(result)} end
  end
  io.write(json.encode(answer), "\n")
  io.stdout:flush()
end
