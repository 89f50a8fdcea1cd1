-- Helpers shared by council's pandoc entry points (worker.lua for briefings, report.lua for the
-- report to Parliament). Loaded with dofile; returns a table.
local common = {}

-- Defence in depth (publication safety): sources/safety.py already refuses unsafe author HTML and
-- links with file and line; whatever slips past is removed here before any writer sees it.
local UNSAFE_HTML = {"<%s*script", "<%s*iframe", "<%s*object", "<%s*embed", "<%s*frame", "<%s*style",
                     "<%s*link", "<%s*meta", "<%s*base", "<%s*form", "<%s*svg", "<%s*math",
                     "[%s/\"']on%a+%s*=", "javascript:", "vbscript:", "data:"}

local function unsafe_html(text)
  local lowered = text:lower():gsub("[%z\1-\31]", "")
  for _, pattern in ipairs(UNSAFE_HTML) do
    if lowered:find(pattern) then return true end
  end
  return false
end

local function safe_target(target)
  local scheme = target:lower():gsub("[%z\1-\32]", ""):match("^([%a][%w+.-]*):")
  return scheme == nil or scheme == "http" or scheme == "https" or scheme == "mailto"
end

common.SANITISE = {
  RawBlock = function(raw) if raw.format ~= "html" or unsafe_html(raw.text) then return {} end end,
  RawInline = function(raw) if raw.format ~= "html" or unsafe_html(raw.text) then return {} end end,
  Link = function(link) if not safe_target(link.target) then return link.content end end,
  Image = function(image) if not safe_target(image.src) then return image.caption end end,
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


-- HTML only: a table wider than a phone scrolls inside its own box, and a box that scrolls must be
-- reachable from the keyboard (WCAG 2.1.1), so it is a named, focusable region. The table gets a
-- class so that the site engine's script does not wrap it again in a box nobody can focus.
-- Regions are landmarks, and landmarks need distinct names, so each carries its table's position.
function common.scrollable_tables(blocks)
  local count = 0
  return pandoc.Blocks(blocks):walk{Table = function(tbl)
    count = count + 1
    local caption = pandoc.utils.stringify(tbl.caption.long or {})
    local name = "Table " .. count .. (caption ~= "" and (": " .. caption) or "")
    tbl.classes:insert("council-table")
    return pandoc.Div({tbl}, pandoc.Attr("", {"council-table-scroll"},
                                         {role = "region", tabindex = "0", ["aria-label"] = name}))
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

return common
