-- What council's one pandoc driver (worker.lua) shares between briefings and the report to
-- Parliament (report.lua): sanitising, languages, citations, numbered tables and figures with their
-- cross-references, figure alt text, table sizing, and writing documents (DOCX). Whatever one of
-- them needs, the other gets the same way, so a briefing and the report cannot drift apart.
-- Loaded with dofile; returns a table.
local common = {}

-- Defence in depth (publication safety): sources/safety.py already refuses unsafe author HTML and
-- links with file and line; whatever slips past is removed here before any writer sees it.
local UNSAFE_HTML = {"<%s*script", "<%s*iframe", "<%s*object", "<%s*embed", "<%s*frame", "<%s*style",
                     "<%s*link", "<%s*meta", "<%s*base", "<%s*form", "<%s*svg", "<%s*math",
                     "[%s/\"']on%a+%s*=", "javascript:", "vbscript:", "data:"}

-- The attributes an author may write: sources/attributes.py's lists, which the pandoc worker's
-- process receives as JSON (render/pandoc_worker.py). Without them, every attribute goes.
local ALLOWED = (function()
  local raw = os.getenv("COUNCIL_AUTHOR_ATTRIBUTES")
  local lists = raw and pandoc.json.decode(raw, false) or {}
  local function set(names)
    local found = {}
    for _, name in ipairs(names or {}) do found[name] = true end
    return found
  end
  local html = {}
  for tag, names in pairs(lists.html or {}) do html[tag] = set(names) end
  return {classes = set(lists.classes), code_classes = set(lists.code_classes), keys = set(lists.keys),
          id_pattern = lists.id_pattern or "^$", html = html}
end)()

local function allowed_attr(attr, classes)
  local identifier = attr.identifier:match(ALLOWED.id_pattern) and attr.identifier or ""
  local kept_classes, kept = {}, {}
  for _, class in ipairs(attr.classes) do
    if classes[class] then table.insert(kept_classes, class) end
  end
  for key, value in pairs(attr.attributes) do
    if ALLOWED.keys[key] then table.insert(kept, {key, value}) end
  end
  return pandoc.Attr(identifier, kept_classes, kept)
end

local function with_allowed_attr(element)
  element.attr = allowed_attr(element.attr, ALLOWED.classes)
  return element
end

local function code_with_allowed_attr(element)
  element.attr = allowed_attr(element.attr, ALLOWED.code_classes)
  return element
end

local function from_the_web(url)
  local cleaned = url:gsub("[%z\1-\32]", "")
  return cleaned:match("^[%a][%w+.-]*:") ~= nil or cleaned:match("^[/\\][/\\]") ~= nil
end

-- One attribute of a plain HTML tag: allowed for this tag (id and class values as in braces)?
local function html_attribute_allowed(tag, name, value)
  local allowed = ALLOWED.html[tag] or ALLOWED.html["*"] or {}
  if not allowed[name] then return false end
  if name == "id" then return value:match(ALLOWED.id_pattern) ~= nil end
  if name == "class" then
    for class in value:gmatch("%S+") do
      if not ALLOWED.classes[class] then return false end
    end
  end
  if tag == "img" and name == "src" then return not from_the_web(value) end
  return true
end

local function tag_attributes_allowed(tag, rest)
  local position = 1
  while true do
    local _, name_end, name = rest:find("^[%s/]*([^%s\"'>/=]+)", position)
    if not name_end then return true end
    position = name_end + 1
    local value = ""
    for _, pattern in ipairs({'^%s*=%s*"([^"]*)"', "^%s*=%s*'([^']*)'", "^%s*=%s*([^%s>]+)"}) do
      local _, value_end, found = rest:find(pattern, position)
      if value_end then
        value, position = found, value_end + 1
        break
      end
    end
    if not html_attribute_allowed(tag, name:lower(), value) then return false end
  end
end

local function unsafe_html(text)
  local lowered = text:lower():gsub("[%z\1-\31]", "")
  for _, pattern in ipairs(UNSAFE_HTML) do
    if lowered:find(pattern) then return true end
  end
  for tag, rest in text:gmatch("<%s*([%a][%w-]*)([^>]*)") do
    if not tag_attributes_allowed(tag:lower(), rest) then return true end
  end
  return false
end

-- Reviewers' HTML comments never leave the source (house style has read its own already); an
-- unclosed one hides the rest of the element, as a browser would. Processing instructions (<?php ?>)
-- go too: pandoc passes them through as raw HTML, hidden text in the page's source.
local function without_comments(text)
  return (text:gsub("<!%-%-.-%-%->", ""):gsub("<!%-%-.*$", ""):gsub("<%?.-%?>", ""))
end

local function safe_raw(raw)
  if raw.format ~= "html" then return {} end
  raw.text = without_comments(raw.text)
  if raw.text:match("^%s*$") or unsafe_html(raw.text) then return {} end
  return raw
end

local function safe_target(target)
  local scheme = target:lower():gsub("[%z\1-\32]", ""):match("^([%a][%w+.-]*):")
  return scheme == nil or scheme == "http" or scheme == "https" or scheme == "mailto"
end

common.SANITISE = {
  RawBlock = safe_raw,
  RawInline = safe_raw,
  Link = function(link)
    if not safe_target(link.target) then return link.content end
    return with_allowed_attr(link)
  end,
  -- images are files of the project: one from the web would tell its host who reads the note
  Image = function(image)
    if from_the_web(image.src) then return image.caption end
    return with_allowed_attr(image)
  end,
  Span = with_allowed_attr,
  Div = with_allowed_attr,
  -- a heading with no text (a lone `#`) says nothing, and typst refuses to set one
  Header = function(header)
    if pandoc.utils.stringify(header.content):match("^%s*$") then return {} end
    return with_allowed_attr(header)
  end,
  Table = with_allowed_attr,
  Figure = with_allowed_attr,
  Code = code_with_allowed_attr,
  CodeBlock = code_with_allowed_attr,
}

-- The language of quoted foreign-script text, as authors mark it: [Київ]{lang=uk}, or a ::: {lang=ar}
-- block. Readers' tools need it: screen readers pick a voice, browsers and Word lay right-to-left
-- scripts out from the right, and typst picks shaping rules (and a block's direction) from it.
-- Only well-formed BCP 47 tags count: the language, an optional script and an optional region.
local RTL_LANGUAGES = {ar = true, arc = true, ckb = true, dv = true, fa = true, he = true, iw = true,
                       ji = true, ks = true, ps = true, rhg = true, sd = true, syr = true, ug = true,
                       ur = true, yi = true}
local RTL_SCRIPTS = {Adlm = true, Arab = true, Hebr = true, Mand = true, Nkoo = true, Rohg = true,
                     Samr = true, Syrc = true, Thaa = true}

local function parse_language(tag)
  if type(tag) ~= "string" then return nil end
  local parts = {}
  for part in (tag .. "-"):gmatch("([^-]*)-") do table.insert(parts, part) end
  local language = parts[1] and parts[1]:lower()
  if not language or not language:match("^%a%a%a?$") then return nil end
  local found, i = {language = language}, 2
  if parts[i] and parts[i]:match("^%a%a%a%a$") then
    found.script = parts[i]:sub(1, 1):upper() .. parts[i]:sub(2):lower()
    i = i + 1
  end
  if parts[i] and parts[i]:match("^%a%a$") then found.region = parts[i]:upper() end
  if found.script then found.rtl = RTL_SCRIPTS[found.script] == true else found.rtl = RTL_LANGUAGES[language] == true end
  return found
end

local function with_direction(element)
  local language = parse_language(element.attributes.lang)
  if language and language.rtl and not element.attributes.dir then element.attributes.dir = "rtl" end
  return element
end

-- Every format: right-to-left languages get dir="rtl" (HTML and Word honour it), unless the author set dir.
common.LANGUAGES = {Span = with_direction, Div = with_direction}

local function typst_text_settings(element, block)
  local language = parse_language(element.attributes.lang)
  if not language then return nil end
  local settings = 'lang: "' .. language.language .. '"'
  -- a tag without a region must not inherit the document's ("uk" inside an en-GB note is not "uk-GB")
  settings = settings .. ", region: " .. (language.region and ('"' .. language.region .. '"') or "none")
  if block and element.attributes.dir == "rtl" then settings = settings .. ", dir: rtl" end
  return settings
end

-- typst only: pandoc's typst writer drops a span's lang, so it is written as text(lang: ...) here; a
-- block gets its direction too (typst infers it only for the languages it knows; within a line the
-- Unicode bidi algorithm orders a right-to-left span). Runs after
-- SANITISE, which removes every raw typst an author could have written; the settings come from the
-- parsed tag alone, never from the author's text.
function common.typst_languages(blocks)
  return blocks:walk{
    Span = function(span)
      local settings = typst_text_settings(span, false)
      if not settings then return nil end
      return {pandoc.RawInline("typst", "#text(" .. settings .. ")["), span, pandoc.RawInline("typst", "]")}
    end,
    Div = function(div)
      local settings = typst_text_settings(div, true)
      if not settings then return nil end
      div.attributes.lang = nil
      return {pandoc.RawBlock("typst", "#[#set text(" .. settings .. ")"), div, pandoc.RawBlock("typst", "]")}
    end,
  }
end


-- === Citations: one handling for briefings and the report =====================================

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

-- citeproc prints "(n 2)" from each citation's note number, which the Markdown reader counts per text
-- it reads; a document assembled from several texts (the report: narrative pieces and generated
-- sentences) would repeat numbers. Count them again over the whole document, in reading order, as the
-- footnotes will be numbered: each author's footnote is one note (its citations share its number),
-- each citation in the text one more.
local function number_notes(doc)
  local count = 0
  local function set(cite, number)
    local citations = cite.citations
    for _, citation in ipairs(citations) do citation.note_num = number end
    cite.citations = citations
    return cite
  end
  return doc:walk{traverse = "topdown",
    Note = function(note)
      count = count + 1
      local number = count
      return note:walk{Cite = function(cite) return set(cite, number) end}, false
    end,
    Cite = function(cite)
      count = count + 1
      return set(cite, count)
    end}
end

-- Resolve the document's citations as `style` says (render/pandoc_worker.py CitationStyle: the
-- cited works as CSL JSON, the CSL file, the language, whether it is a note style, the locator
-- labels it defines itself). Cross-references must be resolved first: they are not citations.
function common.cite(doc, style)
  local own_labels = {}
  for _, label in ipairs(style.own_labels or {}) do own_labels[label] = true end
  doc = number_notes(doc):walk{Cite = function(cite) return normalise_locators(cite, own_labels) end}
  doc.meta.references = pandoc.read(style.references, "csljson").meta.references
  doc.meta.csl = style.csl
  doc.meta.lang = style.lang
  doc.meta["link-citations"] = false
  -- note styles: narrative citations as OSCOLA gives them (common.citeproc_for_notes)
  doc = style.note_style and common.citeproc_for_notes(doc) or pandoc.utils.citeproc(doc)
  if style.note_style then doc = unwrap_citations_in_notes(doc) end
  return doc
end

-- citeproc appends the reference list as a Div with id "refs"; the site and the documents place it
-- themselves. Returns the other blocks and the list.
function common.take_references(blocks)
  local others, refs = pandoc.Blocks{}, nil
  for _, block in ipairs(blocks) do
    if block.t == "Div" and block.identifier == "refs" then refs = block else others:insert(block) end
  end
  return others, refs
end


-- === Tables and figures: one numbering in every format, and cross-references to them ==========
-- Every table and figure with a caption is numbered in document order, tables and figures each from
-- 1; the number is written into the caption itself ("Table 2: ..."), so the page, the PDF and the
-- Word file show the same one (typst's own figure numbering is turned off in the typst output).
-- `@fig-x` and `@tbl-y` (Quarto's syntax) name a figure or table by its id and become "Figure 1" or
-- "Table 2": on the site and in the PDF a link to it. They are never citations.
local FLOAT_KINDS = {fig = "Figure", tbl = "Table"}
common.CROSSREF_CLASS = "council-xref"

function common.is_crossref(key)
  local prefix = key:match("^(%a+)%-.")
  return prefix ~= nil and FLOAT_KINDS[prefix] ~= nil
end

local function number_inlines(label)
  return pandoc.Inlines{pandoc.Str(label .. ":"), pandoc.Space()}
end

local function number_caption(caption, label)
  local first = caption.long[1]
  if first and (first.t == "Plain" or first.t == "Para") then
    first.content = number_inlines(label) .. first.content
  end
  return caption
end

-- Number every captioned table, figure and report chart (a Div of class "report-chart" whose
-- `caption` attribute is its caption). Returns the blocks and id -> "Figure 1".
function common.number_floats(blocks)
  local counts, labels = {Figure = 0, Table = 0}, {}
  local function next_label(kind, id)
    counts[kind] = counts[kind] + 1
    local label = kind .. " " .. counts[kind]
    if id ~= "" then labels[id] = label end
    return label
  end
  local numbered = pandoc.Blocks(blocks):walk{
    Figure = function(figure)
      if #figure.caption.long == 0 then return nil end
      figure.caption = number_caption(figure.caption, next_label("Figure", figure.identifier))
      return figure
    end,
    Table = function(tbl)
      if #tbl.caption.long == 0 then return nil end
      tbl.caption = number_caption(tbl.caption, next_label("Table", tbl.identifier))
      return tbl
    end,
    Div = function(div)
      if not div.classes:includes("report-chart") then return nil end
      local label = next_label("Figure", "fig-" .. div.attributes.key)
      div.attributes.caption = label .. ": " .. div.attributes.caption
      return div
    end,
  }
  return numbered, labels
end

-- Cross-references become their number, as a link to the table or figure; `unknown` collects the
-- ids that name none (sources/floats.py reports them with file and line before anything renders).
function common.resolve_crossrefs(blocks, labels, unknown)
  return pandoc.Blocks(blocks):walk{Cite = function(cite)
    local refs = 0
    for _, citation in ipairs(cite.citations) do
      if common.is_crossref(citation.id) then refs = refs + 1 end
    end
    if refs == 0 then return nil end
    if refs < #cite.citations then
      table.insert(unknown, pandoc.utils.stringify(cite.content) .. " (a cross-reference and a citation together)")
      return pandoc.Inlines{}
    end
    local out = pandoc.Inlines{}
    for i, citation in ipairs(cite.citations) do
      if i > 1 then out:extend{pandoc.Str(";"), pandoc.Space()} end
      out:extend(citation.prefix)
      if #citation.prefix > 0 then out:insert(pandoc.Space()) end
      local label = labels[citation.id]
      if label then
        out:insert(pandoc.Link(label, "#" .. citation.id, "", pandoc.Attr("", {common.CROSSREF_CLASS})))
      else
        table.insert(unknown, "@" .. citation.id)
      end
      out:extend(citation.suffix)
    end
    return out
  end}
end

-- Word files link within the document to bookmarks, which pandoc does not set for figures: there a
-- cross-reference is its text.
function common.unlinked_crossrefs(blocks)
  return pandoc.Blocks(blocks):walk{Link = function(link)
    if link.classes:includes(common.CROSSREF_CLASS) then return link.content end
  end}
end

-- A figure's image takes its alt text from `fig-alt` where the author gave one; otherwise the
-- caption stays the alt text (sources/floats.py warns). Every writer reads the image's own
-- description: HTML alt, the PDF's image alt, the Word picture's description.
function common.alt_texts(blocks)
  return pandoc.Blocks(blocks):walk{Image = function(image)
    local alt = image.attributes["fig-alt"]
    if alt == nil then return nil end
    image.attributes["fig-alt"] = nil
    image.caption = pandoc.Inlines(alt)
    return image
  end}
end

-- Both entry points: alt texts, numbers, then cross-references (an error names every unknown one).
function common.floats(blocks)
  local numbered, labels = common.number_floats(common.alt_texts(blocks))
  local unknown = {}
  local resolved = common.resolve_crossrefs(numbered, labels, unknown)
  if #unknown > 0 then
    error("unknown cross-references: " .. table.concat(unknown, ", ")
          .. " (a cross-reference names the id of a captioned figure, {#fig-...}, or table, {#tbl-...})")
  end
  return resolved, labels
end


-- HTML only: a table wider than a phone scrolls inside its own box, and a box that scrolls must be
-- reachable from the keyboard (WCAG 2.1.1), so it is a named, focusable region. The table gets a
-- class so that the site engine's script does not wrap it again in a box nobody can focus.
-- Regions are landmarks, and landmarks need distinct names, so each carries its table's position.
function common.scrollable_tables(blocks)
  local count = 0
  return pandoc.Blocks(blocks):walk{Table = function(tbl)
    -- a captioned table's caption starts with its number (common.number_floats); the others are
    -- counted apart, so that no two regions share a name
    local caption = pandoc.utils.stringify(tbl.caption.long or {})
    if caption == "" then count = count + 1 end
    local name = caption ~= "" and caption or ("Table without caption " .. count)
    tbl.classes:insert("council-table")
    -- attributes as a list: a Lua table's key order differs from run to run, and so would the page
    return pandoc.Div({tbl}, pandoc.Attr("", {"council-table-scroll"},
                                         {{"role", "region"}, {"tabindex", "0"}, {"aria-label", name}}))
  end}
end

-- Level-2 headings with their ids, for a page's contents box.
function common.headings(blocks)
  local found = {}
  for _, block in ipairs(blocks) do
    if block.t == "Header" and block.level == 2 then
      table.insert(found, {id = block.identifier, text = pandoc.utils.stringify(block.content)})
    end
  end
  return found
end


-- Document properties for pandoc's DOCX writer (title, author, subject, keywords, language...),
-- from a request's plain-text values: a string, or a list of strings (authors, keywords).
function common.docx_meta(values, lang)
  local meta = pandoc.Meta{lang = lang}  -- not the citeproc settings: Word would keep them as custom properties
  for key, value in pairs(values) do
    if type(value) == "table" then
      local items = pandoc.List{}
      for _, item in ipairs(value) do items:insert(pandoc.MetaInlines(pandoc.Inlines(item))) end
      meta[key] = pandoc.MetaList(items)
    else
      meta[key] = pandoc.MetaInlines(pandoc.Inlines(value))
    end
  end
  return meta
end

-- Table columns for Word and LibreOffice. Without widths from pandoc they share the page evenly or
-- shrink to fit, and a narrow column breaks a date or an ID between characters ("202 / 5- / 08-
-- / 21"). Widths come from the cells' text, in three steps, each taken only as far as the page allows:
--   1. what must never break: tokens with digits (dates, IDs, amounts) and short words ("FCDO");
--   2. every word whole (words of letters may still break after their own hyphens);
--   3. each cell on one line.
-- Each column gets step 2 (step 1 where step 2 does not fit); the width left over goes to the columns
-- in proportion to how much text each holds, none past step 3, so long descriptions get the room.
-- Text widths are estimated from character classes, on the generous side for the fonts Word and
-- LibreOffice may substitute for the reference document's (Aptos, Calibri, Noto Sans, DejaVu Sans).
local SHORT_WORD = 6  -- characters: a word this short is never broken
local NARROW = "[%.,:;!|'`%(%)%[%]/\\ijlIft1 ]"
local WIDE = "[MWmw@%%&]"

local function em_width(text)
  local width = 0
  for _, code in utf8.codes(text) do
    local char = utf8.char(code)
    if char:match(NARROW) then width = width + 0.34
    elseif char:match(WIDE) then width = width + 0.95
    elseif char:match("%u") then width = width + 0.74
    elseif char:match("[%d#%?%-+=<>~]") then width = width + 0.64
    else width = width + 0.62 end
  end
  return width
end

-- (never broken, longest word, whole line), in ems, for one cell's text.
local function cell_needs(text)
  local keep, word = 0, 0
  for token in text:gmatch("%S+") do
    if token:match("%d") or utf8.len(token) <= SHORT_WORD then keep = math.max(keep, em_width(token)) end
    if token:match("%d") then word = math.max(word, em_width(token))
    else
      for part in token:gmatch("[^%-]+%-?") do word = math.max(word, em_width(part)) end
    end
  end
  return keep, math.max(keep, word), em_width(text)
end

local function table_rows(tbl)
  local rows = pandoc.List{}
  rows:extend(tbl.head.rows)
  for _, body in ipairs(tbl.bodies) do
    rows:extend(body.head)
    rows:extend(body.body)
  end
  rows:extend(tbl.foot.rows)
  return rows
end

-- For each step, the width each column needs, in ems, its cell margins included; and each column's
-- text in all (ems), which says where more width saves the most lines.
local function column_needs(tbl, padding)
  local steps, text = {{}, {}, {}}, {}
  for i = 1, #tbl.colspecs do
    for _, step in ipairs(steps) do step[i] = padding end
    text[i] = 0
  end
  for _, row in ipairs(table_rows(tbl)) do
    local column = 1
    for _, cell in ipairs(row.cells) do
      if cell.col_span == 1 and steps[1][column] then  -- a cell across columns binds none of them alone
        local needs = {cell_needs(pandoc.utils.stringify(cell.contents))}
        for s, step in ipairs(steps) do step[column] = math.max(step[column], needs[s] + padding) end
        text[column] = text[column] + needs[3]
      end
      column = column + cell.col_span
    end
  end
  return steps, text
end

local function sum(values)
  local total = 0
  for _, value in ipairs(values) do total = total + value end
  return total
end

-- Width beyond `from` shared among the columns in proportion to `weight`, none past `to`: a column of
-- long descriptions gets more than one of short names, so the rows take fewer lines.
local function shared_out(from, to, weight, extra)
  local widths, open = {}, {}
  for i = 1, #from do widths[i], open[i] = from[i], to[i] > from[i] end
  for _ = 1, #from do
    local total = 0
    for i = 1, #from do if open[i] then total = total + math.max(weight[i], 1e-9) end end
    if extra <= 1e-9 or total == 0 then break end
    local left = 0
    for i = 1, #from do
      if open[i] then
        local wanted = widths[i] + extra * math.max(weight[i], 1e-9) / total
        if wanted >= to[i] then left, widths[i], open[i] = left + wanted - to[i], to[i], false
        else widths[i] = wanted end
      end
    end
    extra = left
  end
  return widths
end

-- Relative widths (shares of the width available) for the table's columns.
local function fitted_widths(tbl, available, padding)
  local steps, text = column_needs(tbl, padding)
  local widths = {}
  if sum(steps[1]) >= available then  -- not even step 1 fits: shrink alike
    for i, need in ipairs(steps[1]) do widths[i] = need / sum(steps[1]) end
    return widths
  end
  -- every word whole if that fits, else only what must never break; the rest by how much text each has
  local from = sum(steps[2]) <= available and steps[2] or steps[1]
  local to = steps[3]
  local sized = shared_out(from, to, text, math.min(available, sum(to)) - sum(from))
  for i = 1, #from do widths[i] = sized[i] / available end
  return widths
end

-- Every table in `blocks` with column widths, and whether there was any; `geometry`
-- (docx_reference.table_geometry) gives the width tables share and the table text's em, in twips.
function common.fit_tables(blocks, geometry)
  local available = geometry.width / geometry.em
  local padding = 2 * 108 / geometry.em + 0.4  -- the table style's cell margins, and a little air
  local found = false
  local fitted = blocks:walk{Table = function(tbl)
    found = true
    local widths = fitted_widths(tbl, available, padding)
    for i, spec in ipairs(tbl.colspecs) do tbl.colspecs[i] = {spec[1], widths[i]} end
    return tbl
  end}
  return fitted, found
end


local function xml_text(text)
  return (text:gsub("&", "&amp;"):gsub("<", "&lt;"):gsub(">", "&gt;"))
end

-- The Word file, after two repairs to what pandoc writes, each entry keeping its fixed date:
-- * pandoc draws every table's column grid for a 7920-twip (5.5 in) text width whatever the page,
--   and LibreOffice and Word lay fixed tables out by that grid: it is scaled to the page's text width;
-- * `core` ({["dc:title"] = ...}) fills properties that pandoc would otherwise also print on the page;
-- * paragraphs of the `at_foot` styles go in a frame at the foot of their page (a Command Paper's verso):
--   Word and LibreOffice join consecutive paragraphs of the same frame into one.
local AT_FOOT = '<w:framePr w:w="%d" w:wrap="notBeside" w:vAnchor="margin" w:hAnchor="margin" w:x="0" w:yAlign="bottom"/>'

local function framed_at_foot(xml, styles, width)
  for _, style in ipairs(styles) do
    local id = style:gsub("%s", "")
    xml = xml:gsub('(<w:pStyle w:val="' .. id:gsub("%p", "%%%0") .. '" ?/>)', function(tag)
      return tag .. AT_FOOT:format(width)
    end)
  end
  return xml
end

local function repaired(docx, geometry, core, at_foot)
  local archive = pandoc.zip.Archive(docx)
  local entries, wanted, filled = pandoc.List{}, 0, 0
  for _ in pairs(core) do wanted = wanted + 1 end
  local scale = geometry.width / geometry.pandoc_grid
  for _, entry in ipairs(archive.entries) do
    if entry.path == "word/document.xml" then
      local xml = entry:contents():gsub('<w:gridCol w:w="(%d+)"', function(width)
        return '<w:gridCol w:w="' .. math.floor(tonumber(width) * scale + 0.5) .. '"'
      end)
      xml = framed_at_foot(xml, at_foot, geometry.width)
      entry = pandoc.zip.Entry(entry.path, xml, entry.modtime)
    elseif entry.path == "docProps/core.xml" and wanted > 0 then
      local xml = entry:contents()
      for tag, value in pairs(core) do
        local found
        xml, found = xml:gsub("<" .. tag .. "></" .. tag .. ">", function()
          return "<" .. tag .. ">" .. xml_text(value) .. "</" .. tag .. ">"
        end)
        filled = filled + found
      end
      entry = pandoc.zip.Entry(entry.path, xml, entry.modtime)
    end
    entries:insert(entry)
  end
  if filled ~= wanted then error("pandoc's docProps/core.xml has changed shape: its properties could not be set") end
  return pandoc.zip.Archive(entries):bytestring()
end

-- A signed amount, "(+£1,320,000)", is one word to a reader, but Unicode line breaking (UAX #14)
-- allows a break between a sign and a currency symbol, and Word and LibreOffice take it: "+" at the end
-- of one line, "£1,320,000" on the next. A word joiner (U+2060, invisible) between them forbids it;
-- currency and figure never part (UAX #14 rule 25). The PDF boxes the same words (common.for_typst).
local SIGNS = {"+", "-", "\u{2212}", "\u{00B1}"}  -- plus, hyphen-minus, minus, plus-minus
local CURRENCIES = {"£", "€", "$"}
local WORD_JOINER = "\u{2060}"
local NO_BREAK_SPACE = "\u{00A0}"
local SIGNED_AMOUNT_STARTS = {}  -- "+£", "−€", ...: every sign followed by every currency symbol
for _, sign in ipairs(SIGNS) do
  for _, currency in ipairs(CURRENCIES) do table.insert(SIGNED_AMOUNT_STARTS, sign .. currency) end
end

local function plain_pattern(text)
  return (text:gsub("%p", "%%%0"))
end

local function joined_str(str)
  local text, changed = str.text, false
  for _, sign in ipairs(SIGNS) do
    for _, currency in ipairs(CURRENCIES) do
      local found
      text, found = text:gsub(plain_pattern(sign .. currency), sign .. WORD_JOINER .. currency)
      changed = changed or found > 0
    end
  end
  if changed then return pandoc.Str(text) end
end

local function ends_with_sign(text)
  for _, sign in ipairs(SIGNS) do
    if text:sub(-#sign) == sign and (#text == #sign or not text:sub(-#sign - 1, -#sign - 1):find("[%w%%]")) then
      return true
    end
  end
  return false
end

local function starts_with_currency(text)
  for _, currency in ipairs(CURRENCIES) do
    if text:sub(1, #currency) == currency then return true end
  end
  return false
end

-- All the words of `blocks`, to look at once before visiting each (stringify leaves footnotes out).
local function whole_text(blocks)
  local texts = {pandoc.utils.stringify(blocks)}
  blocks:walk{Note = function(note) table.insert(texts, pandoc.utils.stringify(note.content)) end}
  return table.concat(texts, " ")
end

local function has_currency(text)
  for _, currency in ipairs(CURRENCIES) do
    if text:find(currency, 1, true) then return true end
  end
  return false
end

local function opens_with_currency(inline)
  return inline ~= nil and inline.t ~= "Space" and starts_with_currency(pandoc.utils.stringify(inline))
end

-- A sign that ends one inline, before an amount in the next ("(+" then a [£3,140,000]{.figure} span),
-- keeps to it by a word joiner; a sign written apart, "+ £3,140,000", by a no-break space.
local function joined_neighbours(inlines)
  for i = 1, #inlines - 1 do
    local sign, after = inlines[i], inlines[i + 1]
    if sign.t == "Str" and ends_with_sign(sign.text) then
      if opens_with_currency(after) then
        inlines[i] = pandoc.Str(sign.text .. WORD_JOINER)
      elseif after.t == "Space" and opens_with_currency(inlines[i + 2]) then
        inlines[i + 1] = pandoc.Str(NO_BREAK_SPACE)
      end
    end
  end
  return inlines
end

-- Every signed amount in `blocks` (footnotes included) as one unbreakable word, for every document
-- written by common.write_document (Word, ODT).
function common.joined_amounts(blocks)
  if not has_currency(whole_text(blocks)) then return blocks end
  return blocks:walk{Inlines = joined_neighbours}:walk{Str = joined_str}
end

-- Write one document the request asks for (render/pandoc_worker.py DocumentRequest): its front
-- matter, then `body`, then its back matter, with pandoc's `writer`, styled by its reference
-- document. A Word file's tables are sized for its page, and its core properties filled in.
function common.write_document(document, body, lang)
  local main = pandoc.Blocks{}
  main:extend(body)
  if document.back then main:extend(pandoc.read(document.back, "markdown").blocks) end
  local tables = false
  if document.writer == "docx" or document.writer == "odt" then main, tables = common.fit_tables(main, document.table) end
  local blocks = pandoc.Blocks{}
  blocks:extend(pandoc.read(document.front, "markdown").blocks)
  blocks:extend(main)
  -- not the citeproc settings: Word would keep them as custom properties, a build machine's path among them
  local meta = common.docx_meta(document.meta, lang)
  local options = {reference_doc = document.reference_doc}
  if document.writer == "odt" then  -- standalone, with its styles: the reference's page and fonts
    options.template = pandoc.template.compile(pandoc.template.default("opendocument"))
  end
  blocks = common.joined_amounts(blocks)
  local data = common.as_of(document.epoch, function()  -- created on the document's own date
    return pandoc.write(pandoc.Pandoc(blocks, meta), document.writer, options)
  end)
  local at_foot = document.at_foot or {}
  if document.writer == "docx" and (tables or document.core or #at_foot > 0) then  -- unpacking costs time
    data = repaired(data, document.table, document.core or {}, at_foot)
  end
  local out = assert(io.open(document.path, "wb"))
  out:write(data)
  out:close()
end


-- The typst writer's options. Without `smart`, pandoc writes the curly quotes, dashes and ellipses
-- citeproc and the Markdown reader made as the characters themselves. With it, pandoc writes ’ and ‘
-- back as ' and leaves typst's smart quotes to guess again; typst makes a prime of a quote that
-- follows a digit (‘Resolution 2334′) and picks quotes by language, so the PDF would differ from
-- the HTML and DOCX. The templates turn typst's smart quotes off, so a straight quote stays straight.
common.TYPST = {format = "typst", extensions = {citations = false, smart = false}}
common.TYPST_OPTIONS = {wrap_text = "wrap-none"}

-- Typst columns sized from their content, the way a browser lays out an automatic table, so that no
-- cell's text runs into the next column:
-- - a column whose every cell is short (dates, IDs, codes, numbers, department names) is `auto`: as
--   wide as its longest cell, so nothing in it wraps;
-- - every other column gets at least its longest word, and the rest of the line is shared in
--   proportion to how much more each needs to set its longest cell on one line (`fr`).
-- Widths are estimated in em from character counts; LINE_EM is a little less than the text width of
-- the A4 templates at their table text size (52-55 em), so the estimates err on the safe side.
local SHORT_CELL = 16   -- characters
local LINE_EM = 50
local INSET_EM = 1.2    -- the cell's inset, both sides
local WORD_EM = 0.6     -- per character of a word that must not break: wider than the fonts' average
local TEXT_EM = 0.5     -- per character of running text

local function cell_text(cell)
  return pandoc.utils.stringify(cell.contents)  -- footnotes left out
end

local function longest_word(text)
  local longest = 0
  for word in text:gmatch("%S+") do longest = math.max(longest, utf8.len(word) or #word) end
  return longest
end

local function column_text_lengths(tbl)
  local stats = {}
  for i = 1, #tbl.colspecs do stats[i] = {longest = 0, word = 0} end
  for _, row in ipairs(table_rows(tbl)) do
    local column = 1
    for _, cell in ipairs(row.cells) do
      local s = stats[column]
      if cell.col_span == 1 and s then
        local text = cell_text(cell)
        s.longest = math.max(s.longest, utf8.len(text) or #text)
        s.word = math.max(s.word, longest_word(text))
      end
      column = column + cell.col_span
    end
  end
  return stats
end

function common.typst_columns(tbl)
  local stats = column_text_lengths(tbl)
  local budget, least, more = LINE_EM, 0, 0
  for _, s in ipairs(stats) do
    s.short = s.longest <= SHORT_CELL
    s.min = s.word * WORD_EM + INSET_EM
    s.max = math.max(s.min, s.longest * TEXT_EM + INSET_EM)
    if s.short then budget = budget - s.longest * WORD_EM - INSET_EM
    else least, more = least + s.min, more + s.max - s.min end
  end
  local spare = math.max(0, budget - least)
  local columns = {}
  for i, s in ipairs(stats) do
    if s.short then
      columns[i] = "auto"
    else
      local width = s.min + (more > 0 and math.min(s.max - s.min, spare * (s.max - s.min) / more) or 0)
      columns[i] = string.format("%dfr", math.floor(width * 10 + 0.5))
    end
  end
  return "(" .. table.concat(columns, ", ") .. ")"
end

-- A table as typst markup, pandoc's own, with the columns above in place of pandoc's percentages.
-- (Should a later pandoc write the columns otherwise, the table is left to pandoc as it is.)
function common.typst_table(tbl)
  if #tbl.colspecs == 0 then return nil end
  for i, spec in ipairs(tbl.colspecs) do tbl.colspecs[i] = {spec[1], pandoc.ColWidthDefault} end
  local text = pandoc.write(pandoc.Pandoc({tbl}), common.TYPST, common.TYPST_OPTIONS)
  local replaced, found = text:gsub("columns: %d+,", "columns: " .. common.typst_columns(tbl) .. ",", 1)
  if found ~= 1 then return nil end
  return pandoc.RawBlock("typst", replaced)
end

-- Typst shorthands that pandoc's typst writer leaves as they are within a word: "..." (an ellipsis),
-- "--" and "---" (dashes), "-?" (a soft hyphen, which prints nothing) and "-" before a digit at the
-- start of a word (a minus sign). Escaped, they print as written, as the HTML and DOCX show them.
local function typst_literal(str)
  local text = str.text
  if not (text:find("...", 1, true) or text:find("-?", 1, true) or text:find("--", 1, true)
          or text:find("^%-%d")) then return nil end
  local out, plain, i = pandoc.Inlines{}, {}, 1
  local function flush()
    if #plain > 0 then out:insert(pandoc.Str(table.concat(plain))); plain = {} end
  end
  while i <= #text do
    if text:sub(i, i + 2) == "..." then
      flush(); out:insert(pandoc.RawInline("typst", "\\.\\.\\.")); i = i + 3
    elseif text:sub(i, i + 1) == "--" then
      local run = #text:match("^%-+", i)
      flush(); out:insert(pandoc.RawInline("typst", "-" .. string.rep("\\-", run - 1))); i = i + run
    elseif text:sub(i, i + 1) == "-?" then
      flush(); out:insert(pandoc.RawInline("typst", "-\\?")); i = i + 2
    elseif i == 1 and text:find("^%-%d") then
      out:insert(pandoc.RawInline("typst", "\\-")); i = i + 1
    else
      table.insert(plain, text:sub(i, i)); i = i + 1  -- byte by byte: multi-byte characters pass whole
    end
  end
  flush()
  return out
end

local function has_shorthand(text)
  return text:find("...", 1, true) or text:find("--", 1, true) or text:find("-?", 1, true)
      or text:find("%f[%S]%-%d")
end

-- A signed amount, "(+£1,320,000)", is one word to a reader; typst's line breaking may part the sign
-- from the pound sign, so in the PDF the word goes into an unbreakable box (as text, so it reads alike).
local function signed_amount(str)
  for _, sign in ipairs(SIGNED_AMOUNT_STARTS) do
    if str.text:find(sign, 1, true) then
      local quoted = str.text:gsub("\\", "\\\\"):gsub('"', '\\"')
      return pandoc.RawInline("typst", '#{box("' .. quoted .. '")}')  -- a code block: a following [ stays text
    end
  end
end

-- typst numbers figures itself; their numbers are already in their captions (common.number_floats)
local NO_FIGURE_NUMBERS = "#set figure(numbering: none)"

-- Everything the typst output needs before pandoc writes it: literal text, then sized tables. Most
-- notes hold no shorthand at all, so the text is looked at whole first and each word visited only
-- when there is one.
function common.for_typst(blocks)
  local whole = whole_text(blocks)
  if has_shorthand(whole) then blocks = blocks:walk{Str = typst_literal} end
  if has_currency(whole) then blocks = blocks:walk{Str = signed_amount} end
  local out = pandoc.Blocks{pandoc.RawBlock("typst", NO_FIGURE_NUMBERS)}
  out:extend(blocks:walk{Table = common.typst_table})
  return out
end


-- ---------------------------------------------------------------------------------------------------
-- One text in every format (issue 21): narrative citations in note styles, OSCOLA's tables of cases and
-- legislation, and the Word file's dates. Each is called once from the briefing driver.

-- The citations of a document in reading order, as citeproc numbers them, each with whether it stands
-- in an author's own footnote: {cite = Cite, in_note = boolean}.
local function cites_in_order(doc)
  local found = pandoc.List{}
  local function collect(in_note)
    return {traverse = "topdown",
            Cite = function(cite) found:insert({cite = cite, in_note = in_note}) end,
            Note = function(note)
              pandoc.Blocks(note.content):walk(collect(true))
              return nil, false
            end}
  end
  doc:walk(collect(false))
  return found
end

-- The document with each citation's mode changed: `change(entry, mode)`, entry as in cites_in_order.
local function with_modes(doc, written, change)
  local index = 0
  return doc:walk{traverse = "topdown", Cite = function(cite)
    index = index + 1
    local citations = cite.citations
    for _, citation in ipairs(citations) do citation.mode = change(written[index], citation.mode) end
    cite.citations = citations
    return cite
  end}
end

-- pandoc capitalises the first letter of every footnote, which suits "Ibid" but turns OSCOLA's "(n 1)"
-- into "(N 1)" when a footnote starts with it.
local function lower_note_reference(note)
  local para = note.content[1]
  if not para or (para.t ~= "Para" and para.t ~= "Plain") then return note end
  local first, gap, number = para.content[1], para.content[2], para.content[3]
  if first and first.t == "Str" and first.text:match("^%(%u%l*$") and gap and gap.t == "Space"
      and number and number.t == "Str" and number.text:match("^%d") then
    first.text = first.text:lower()
  end
  return note
end

-- citeproc for a note style (OSCOLA, Chicago notes), narrative citations included. pandoc prints the
-- author of `As @key shows` in the text and the rest in the footnote, and leaves the author of
-- `[-@key, 9]` out of its footnote. A footnote is read on its own, and a first citation is given in
-- full (OSCOLA 1.2), so, for citations in the text:
-- * the first citation of a work, whatever its form, has the full citation in its footnote;
-- * a later author-in-text citation's footnote is the short form without the author, "(n 1) 4": the
--   author stands in the text at the note mark;
-- * a later suppress-author citation keeps its author ("Doe (n 2) 9"), as nothing shows the text gives it.
-- In an author's own footnote the citation stands in the sentence itself: `[-@key]` is kept as written,
-- and `@key` reads as a plain citation there ("Sharma and Welsh (n 1) 7", not "Sharma and Welsh, (n 1) 7").
-- The citations keep the modes they were written with (the Word file's citation fields carry them).
function common.citeproc_for_notes(doc)
  local written = cites_in_order(doc)
  local in_text = false
  for _, entry in ipairs(written) do
    if entry.cite.citations[1].mode == "AuthorInText" then in_text = true end
  end
  local shown = pandoc.utils.citeproc(with_modes(doc, written, function(entry, mode)
    return (mode == "SuppressAuthor" and not entry.in_note) and "NormalCitation" or mode
  end))
  local plain = {}
  if in_text then  -- a second run only for notes that hold one: every citation a plain one
    plain = cites_in_order(pandoc.utils.citeproc(with_modes(doc, written, function(entry, mode)
      return (mode == "SuppressAuthor" and entry.in_note) and mode or "NormalCitation"
    end)))
  end
  local seen, index = {}, 0
  return shown:walk{traverse = "topdown", Cite = function(cite)
    index = index + 1
    local entry = written[index]
    if not entry then return cite end  -- citeproc keeps every citation; should it not, leave its text be
    local original = entry.cite.citations
    local first = not seen[original[1].id]
    for _, citation in ipairs(original) do seen[citation.id] = true end
    local last = cite.content[#cite.content]
    if original[1].mode == "AuthorInText" and plain[index] then
      local instead = plain[index].cite.content
      if entry.in_note then
        cite.content = instead
      elseif last and last.t == "Note" then
        cite.content[#cite.content] = (first and instead[1] and instead[1].t == "Note") and instead[1]
                                      or lower_note_reference(last)
      end
    end
    cite.citations = original
    return cite
  end}
end

-- The Word file's created and modified dates (and its ZIP entries' times) are a date of the document's
-- own, not the build's: pandoc takes them from SOURCE_DATE_EPOCH, set here for this one write.
function common.as_of(epoch, action)
  if not epoch then return action() end
  local environment = pandoc.system.environment()
  environment.SOURCE_DATE_EPOCH = string.format("%d", epoch)
  return pandoc.system.with_environment(environment, action)
end

-- OSCOLA's tables (1.6, 1.7): where a briefing cites cases or legislation, its reference list gives them
-- under their own headings, cases first, then legislation (treaties and bills among it), then the
-- secondary sources; the style's own order within each. Without either, the list stays one list.
-- `refs` is citeproc's reference list; `references` the CSL JSON of the works the note cites.
local REFERENCE_TABLES = {
  {id = "references-cases", title = "Cases", types = {legal_case = true}},
  {id = "references-legislation", title = "Legislation",
   types = {legislation = true, bill = true, regulation = true, treaty = true}},
  {id = "references-secondary-sources", title = "Secondary sources"},  -- everything else
}

function common.reference_tables(refs, references)
  local types = {}
  for _, item in ipairs(pandoc.json.decode(references, false)) do types[item.id] = item.type end
  local groups, primary = {}, false
  for i = 1, #REFERENCE_TABLES do groups[i] = pandoc.Blocks{} end
  for _, entry in ipairs(refs.content) do
    local key = entry.t == "Div" and entry.identifier:match("^ref%-(.*)$")
    local table_of = #REFERENCE_TABLES
    for i, group in ipairs(REFERENCE_TABLES) do
      if key and group.types and group.types[types[key]] then table_of, primary = i, true end
    end
    groups[table_of]:insert(entry)
  end
  if not primary then return refs end
  local blocks = pandoc.Blocks{}
  for i, group in ipairs(REFERENCE_TABLES) do
    if #groups[i] > 0 then
      blocks:insert(pandoc.Header(3, group.title, pandoc.Attr(group.id, {"unnumbered"})))
      blocks:insert(pandoc.Div(groups[i], pandoc.Attr("", refs.classes, refs.attributes)))
    end
  end
  -- not "refs": pandoc makes that a list, and a list holds no headings
  return pandoc.Div(blocks, pandoc.Attr("", {"reference-tables"}))
end

-- Word: pandoc gives the entries of the "refs" list the Bibliography paragraph style; those of the
-- tables above need it named.
function common.word_bibliography(refs)
  return refs:walk{Div = function(div)
    if div.classes:includes("csl-bib-body") and div.identifier ~= "refs" then
      div.attributes["custom-style"] = "Bibliography"
      return div
    end
  end}
end

-- Two footnote markers side by side read as one number ("elsewhere.67" for notes 6 and 7): a
-- superscript comma keeps them apart in every format. A citation in a note style is a marker too (a
-- Cite whose text citeproc made a Note), as in "[@key, p 4][^c]".
local function starts_with_note(inline)
  return inline.t == "Note" or (inline.t == "Cite" and #inline.content > 0 and inline.content[1].t == "Note")
end

local function ends_with_note(inline)
  return inline.t == "Note" or (inline.t == "Cite" and #inline.content > 0
                                and inline.content[#inline.content].t == "Note")
end

function common.separate_adjacent_notes(blocks)
  return blocks:walk{Inlines = function(inlines)
    local out = pandoc.Inlines{}
    for i, inline in ipairs(inlines) do
      if i > 1 and starts_with_note(inline) and ends_with_note(inlines[i - 1]) then
        out:insert(pandoc.Superscript{pandoc.Str(",")})
      end
      out:insert(inline)
    end
    return out
  end}
end

return common
