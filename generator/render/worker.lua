-- A long-lived pandoc process: one JSON request per line on stdin, one JSON answer per line on
-- stdout. Keeping pandoc alive avoids a process start per note and per format; each request
-- carries only the references its note cites, so nobody re-reads the whole library.
local json = pandoc.json

-- Authors write OSCOLA-style locators without full stops ("p 3", "paras 4-6"); citeproc only
-- recognises the locale's abbreviations ("p.", "para."), so unrecognised labels would end up as
-- literal suffix text and styles could not format them.
local LOCATOR_LABELS = {
  p = "p.", pp = "pp.", para = "para.", paras = "para.", ch = "ch.", chs = "ch.", n = "n.", nn = "n.",
  s = "sec.", ss = "sec.", sec = "sec.", fn = "n.", vol = "vol.", col = "col.", l = "l.", ll = "l.",
}

local function normalise_locators(cite)
  for _, citation in ipairs(cite.citations) do
    local suffix, i = citation.suffix, 1
    while suffix[i] and ((suffix[i].t == "Str" and suffix[i].text == ",") or suffix[i].t == "Space") do i = i + 1 end
    local label, gap, number = suffix[i], suffix[i + 1], suffix[i + 2]
    if label and label.t == "Str" and LOCATOR_LABELS[label.text] and gap and gap.t == "Space"
        and number and number.t == "Str" and number.text:match("^[%dIVXLCivxlc]") then
      label.text = LOCATOR_LABELS[label.text]
    end
  end
  return cite
end

local function take_references(doc)
  -- citeproc appends the reference list as a Div with id "refs"; the site places it itself.
  local blocks, refs = pandoc.Blocks{}, nil
  for _, block in ipairs(doc.blocks) do
    if block.t == "Div" and block.identifier == "refs" then refs = block else blocks:insert(block) end
  end
  return blocks, refs
end

local function headings(blocks)
  local found = {}
  for _, block in ipairs(blocks) do
    if block.t == "Header" and block.level == 2 then
      table.insert(found, {id = block.identifier, text = pandoc.utils.stringify(block.content)})
    end
  end
  return found
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

local function render(req)
  local doc = pandoc.read(req.markdown, "markdown"):walk{Cite = normalise_locators}
  doc.meta.references = pandoc.read(req.references, "csljson").meta.references
  doc.meta.csl = req.csl
  doc.meta.lang = req.lang
  doc.meta["link-citations"] = false
  doc = pandoc.utils.citeproc(doc)
  local body, refs = take_references(doc)
  local opts = {wrap_text = "wrap-none"}

  local answer = {headings = headings(body)}
  answer.html = pandoc.write(pandoc.Pandoc(body, doc.meta), "html5", opts)
  answer.references_html = refs and pandoc.write(pandoc.Pandoc({refs}), "html5", opts) or ""

  local full = with_reference_heading(body, refs, req.references_title)
  answer.typst = pandoc.write(pandoc.Pandoc(full, doc.meta),
                              {format = "typst", extensions = {citations = false}}, opts)

  local front = pandoc.read(req.docx_front, "markdown")
  local meta = pandoc.Meta(doc.meta)
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
  docx_blocks:extend(full)
  local docx = pandoc.write(pandoc.Pandoc(docx_blocks, meta), "docx")
  local out = assert(io.open(req.docx_path, "wb"))
  out:write(docx)
  out:close()
  return answer
end

for line in io.lines() do
  local ok, request = pcall(json.decode, line, false)
  local answer
  if not ok then
    answer = {ok = false, error = "bad request: " .. tostring(request)}
  else
    local done, result = pcall(render, request)
    if done then answer = {ok = true, result = result} else answer = {ok = false, error = tostring(result)} end
  end
  io.write(json.encode(answer), "\n")
  io.stdout:flush()
end
