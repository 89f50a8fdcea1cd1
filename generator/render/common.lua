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

local function table_rows(tbl)
  local rows = pandoc.List()
  rows:extend(tbl.head.rows)
  for _, body in ipairs(tbl.bodies) do
    rows:extend(body.head)
    rows:extend(body.body)
  end
  rows:extend(tbl.foot.rows)
  return rows
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

-- Everything the typst output needs before pandoc writes it: literal text, then sized tables. Most
-- notes hold no shorthand at all, so the text is looked at whole first (stringify leaves footnotes
-- out, so their text is added) and each word visited only when there is one.
function common.for_typst(blocks)
  local texts = {pandoc.utils.stringify(blocks)}
  blocks:walk{Note = function(note) table.insert(texts, pandoc.utils.stringify(note.content)) end}
  if has_shorthand(table.concat(texts, " ")) then blocks = blocks:walk{Str = typst_literal} end
  return blocks:walk{Table = common.typst_table}
end

return common
