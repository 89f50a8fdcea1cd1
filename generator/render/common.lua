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
