-- A long-lived pandoc process: one JSON request per line on stdin, one JSON answer per line on
-- stdout. Keeping pandoc alive avoids a process start per note and per format; each request
-- carries only the references its note cites, so nobody re-reads the whole library.
local json = pandoc.json
local common = dofile(pandoc.path.join{pandoc.path.directory(PANDOC_SCRIPT_FILE or arg[0]), "common.lua"})
local headings = common.headings

-- Authors write OSCOLA-style locators without full stops ("p 3", "paras 4-6"); citeproc only
-- recognises the locale's abbreviations ("p.", "para."), so unrecognised labels would end up as
-- literal suffix text and styles could not format them.
local LOCATOR_LABELS = {
  p = "p.", pp = "pp.", para = "para.", paras = "para.", ch = "ch.", chs = "ch.", n = "n.", nn = "n.",
  s = "sec.", ss = "sec.", sec = "sec.", fn = "n.", vol = "vol.", col = "col.", l = "l.", ll = "l.",
}

local function normalise_locators(cite, own_labels)
  for _, citation in ipairs(cite.citations) do
    local suffix, i = citation.suffix, 1
    while suffix[i] and ((suffix[i].t == "Str" and suffix[i].text == ",") or suffix[i].t == "Space") do i = i + 1 end
    local label, gap, number = suffix[i], suffix[i + 1], suffix[i + 2]
    -- a label the style defines itself (OSCOLA's "s" for section) is already understood: keep it
    if label and label.t == "Str" and LOCATOR_LABELS[label.text] and not own_labels[label.text]
        and gap and gap.t == "Space"
        and number and number.t == "Str" and number.text:match("^[%dIVXLCivxlc]") then
      label.text = LOCATOR_LABELS[label.text]
    end
  end
  return cite
end

-- pandoc puts a citation written inside an author's own footnote in parentheses when the style
-- itself makes footnotes (a note cannot hold a note). Note styles (OSCOLA, Chicago) print such a
-- citation as plain text within the footnote, so the parentheses go.
local function unwrap_citations_in_notes(doc)
  local function unwrap(cite)
    local content = cite.content
    local first, last = content[1], content[#content]
    if #content > 1 and first.t == "Str" and last.t == "Str"
        and first.text:sub(1, 1) == "(" and last.text:sub(-1) == ")" then
      first.text = first.text:sub(2)
      last.text = last.text:sub(1, -2)
    end
    return cite
  end
  return doc:walk{Note = function(note) return note:walk{Cite = unwrap} end}
end

local function take_references(doc)
  -- citeproc appends the reference list as a Div with id "refs"; the site places it itself.
  local blocks, refs = pandoc.Blocks{}, nil
  for _, block in ipairs(doc.blocks) do
    if block.t == "Div" and block.identifier == "refs" then refs = block else blocks:insert(block) end
  end
  return blocks, refs
end


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
    if format == "docx" then  -- read here, named by content: Word files keep the name, never a build path
      local file = assert(io.open(place.docx, "rb"))
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

local function render(req)
  local own_labels = {}
  for _, label in ipairs(req.own_labels or {}) do own_labels[label] = true end
  local doc = pandoc.read(req.markdown, "markdown"):walk{Cite = function(cite)
    return normalise_locators(cite, own_labels)
  end}
  doc.meta.references = pandoc.read(req.references, "csljson").meta.references
  doc.meta.csl = req.csl
  doc.meta.lang = req.lang
  doc.meta["link-citations"] = false
  doc = doc:walk(common.SANITISE)
  doc = pandoc.utils.citeproc(doc)
  if req.note_style then doc = unwrap_citations_in_notes(doc) end
  local body, refs = take_references(doc)
  local opts = {wrap_text = "wrap-none"}

  local answer = {headings = headings(body)}
  answer.html = pandoc.write(pandoc.Pandoc(with_images(body, req.images, "html"), doc.meta), "html5", opts)
  answer.references_html = refs and pandoc.write(pandoc.Pandoc({refs}), "html5", opts) or ""

  local full = with_reference_heading(body, refs, req.references_title)
  answer.typst = pandoc.write(pandoc.Pandoc(with_images(full, req.images, "typst"), doc.meta),
                              {format = "typst", extensions = {citations = false}}, opts)

  local front = pandoc.read(req.docx_front, "markdown")
  -- not the citeproc settings: Word would keep them as custom properties, a build machine's path among them
  local meta = pandoc.Meta{lang = req.lang}
  for key, value in pairs(req.docx_meta) do
    if type(value) == "table" then
      local items = pandoc.List{}
      for _, item in ipairs(value) do items:insert(pandoc.MetaInlines(pandoc.Inlines(item))) end
      meta[key] = pandoc.MetaList(items)
    else
      meta[key] = pandoc.MetaInlines(pandoc.Inlines(value))
    end
  end
  local docx_blocks = pandoc.Blocks{}
  docx_blocks:extend(front.blocks)
  docx_blocks:extend(with_images(full, req.images, "docx"))
  local docx = pandoc.write(pandoc.Pandoc(docx_blocks, meta), "docx",
                           {reference_doc = req.reference_doc})  -- carries the page markings
  pandoc.mediabag.empty()  -- this worker renders many notes: keep none of this one's images
  local out = assert(io.open(req.docx_path, "wb"))
  out:write(docx)
  out:close()
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
  local _, refs = take_references(doc)
  local entries = {}
  for _, entry in ipairs(refs and refs.content or {}) do
    if entry.t == "Div" and entry.identifier:match("^ref%-") then
      local html = pandoc.write(pandoc.Pandoc(entry.content), "html5", {wrap_text = "wrap-none"})
      table.insert(entries, {key = entry.identifier:sub(5), html = html})
    end
  end
  return {entries = entries}
end

local HANDLERS = {briefing = render, bibliography = render_bibliography}

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
