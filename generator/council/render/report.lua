-- The report to Parliament: a handler of council's pandoc driver (worker.lua), which loads this file
-- and passes it common.lua. It reads each piece of Markdown on its own, resolves citations as a
-- briefing does (common.cite), numbers the body's paragraphs 1..N over the pandoc AST (headings,
-- tables, lists and captions are not numbered) and its tables and figures (common.floats), turns
-- "[](#para-label)" references into paragraph numbers, and writes the same document as HTML (site),
-- typst (PDF) and the documents asked for (DOCX), so all three carry the same numbers.
return function(common)
local headings = common.headings

-- `@para-x` names a paragraph, not a work: it becomes the reference `[](#para-x)` numbered below.
local function paragraph_references(cite)
  local out = pandoc.Inlines{}
  for i, citation in ipairs(cite.citations) do
    if not citation.id:match("^para%-") then return nil end
    if i > 1 then out:extend{pandoc.Str(","), pandoc.Space()} end
    out:insert(pandoc.Link({}, "#" .. citation.id))
  end
  return out
end

local function read_markdown(text)
  local doc = pandoc.read(text, "markdown"):walk(common.SANITISE):walk(common.LANGUAGES)  -- author text: defence in depth
  doc = doc:walk{Cite = paragraph_references}
  -- Authors' own headings sit below the section headings the report supplies.
  return doc.blocks:walk{Header = function(h) h.level = math.min(h.level + 2, 6); return h end}
end

local function chart_figure(chart)
  -- Built per format later; a placeholder Div keeps its place in the document.
  return pandoc.Div({}, pandoc.Attr("", {"report-chart"}, {{"key", chart.key}, {"caption", chart.caption},
                                                          {"alt", chart.alt}, {"width", chart.width},
                                                          {"pdf_width", chart.pdf_width}}))
end

local function section_blocks(section)
  local blocks = pandoc.Blocks{pandoc.Header(2, section.title, pandoc.Attr(section.id))}
  local content = pandoc.Blocks{}
  for _, piece in ipairs(section.pieces) do
    if piece.chart then content:insert(chart_figure(piece.chart)) else content:extend(read_markdown(piece.markdown)) end
  end
  local classes = section.numbered and {"numbered"} or {}
  if section.id == "conclusions" then classes = {"conclusions"} end
  blocks:insert(pandoc.Div(content, pandoc.Attr("", classes)))
  return blocks
end

local function assemble(sections)
  local blocks = pandoc.Blocks{}
  for _, section in ipairs(sections) do blocks:extend(section_blocks(section)) end
  return blocks
end

-- Conclusions are numbered C1, C2, ... so that "paragraph 3" can only mean a numbered paragraph. An
-- ordered list in the conclusions section becomes one numbered item per entry, laid out like a
-- numbered paragraph in every format.
local function lettered(list)
  local out = pandoc.Blocks{}
  for i, item in ipairs(list.content) do
    local number = "C" .. tostring((list.start or 1) + i - 1)
    local first = item[1]
    if first and (first.t == "Para" or first.t == "Plain") then
      out:insert(pandoc.Div({pandoc.Para(first.content)}, pandoc.Attr("conclusion-" .. number:sub(2), {"numbered-para"},
                                                                     {{"number", number}})))
      for j = 2, #item do out:insert(item[j]) end
    else
      out:extend(item)
    end
  end
  return out
end

local function letter_conclusions(blocks)
  for _, block in ipairs(blocks) do
    if block.t == "Div" and block.classes:includes("conclusions") then
      local content = pandoc.Blocks{}
      for _, child in ipairs(block.content) do
        if child.t == "OrderedList" then content:extend(lettered(child)) else content:insert(child) end
      end
      block.content = content
    end
  end
end

local function number_prefix(div)
  return pandoc.Span({pandoc.Str(div.attributes.number .. ".")}, pandoc.Attr("", {"para-number"}))
end

local opts = {wrap_text = "wrap-none"}
local KEEP_WHOLE_ROWS = 16  -- a table of this many rows or fewer fits a page of the PDF whole

local function typst_inline(inlines)
  local text = pandoc.write(pandoc.Pandoc({pandoc.Plain(inlines)}), common.TYPST, opts)
  return (text:gsub("%s+$", ""))
end

local function typst_string(text)
  return '"' .. text:gsub("\\", "\\\\"):gsub('"', '\\"') .. '"'
end

return function(request)
  -- Tables and figures are numbered over body and annexes together, before citations: OSCOLA and
  -- other note styles turn citations into footnotes inside the paragraphs.
  local body = assemble(request.sections)
  local annexes = assemble(request.annexes or {})
  local floats = common.floats(body .. annexes)
  body, annexes = pandoc.Blocks{table.unpack(floats, 1, #body)}, pandoc.Blocks{table.unpack(floats, #body + 1)}
  local doc = common.cite(pandoc.Pandoc(body, pandoc.Meta{}), request.style)
  local cited, refs = common.take_references(doc.blocks)
  if refs and request.style.legal_tables then refs = common.reference_tables(refs, request.style.references) end

  -- Number the paragraphs that are direct children of numbered sections; remember labelled ones.
  local count, labels = 0, {}
  local function label_spans(para, number)
    return para:walk{Span = function(span)
      if span.identifier:match("^para%-") and #span.content == 0 then
        labels[span.identifier] = number
        return {}
      end
    end}
  end

  for _, block in ipairs(cited) do
    if block.t == "Div" and block.classes:includes("numbered") then
      for i, child in ipairs(block.content) do
        if child.t == "Para" then
          count = count + 1
          local para = label_spans(child, count)
          block.content[i] = pandoc.Div({para}, pandoc.Attr("para-" .. count, {"numbered-para"},
                                                            {{"number", tostring(count)}}))
        end
      end
    end
  end

  letter_conclusions(cited)

  local all = pandoc.Blocks{}
  all:extend(cited)
  if refs then
    all:insert(pandoc.Header(2, request.references_title, pandoc.Attr("references")))
    all:insert(refs)
  end
  all:extend(annexes)

  -- "(paragraph [](#para-x))" -> the number; a link within the page on the site.
  local unresolved = {}
  local function resolve(blocks, linked)
    return blocks:walk{Link = function(link)
      local label = link.target:match("^#(para%-[%w_%-]+)$")
      if label and #link.content == 0 then
        local number = labels[label]
        if not number then table.insert(unresolved, label); return pandoc.Str("??") end
        if linked then return pandoc.Link(tostring(number), "#para-" .. number) end
        return pandoc.Str(tostring(number))
      end
    end}
  end

  -- Per format: numbered paragraphs and charts.
  local function for_html(blocks)
    return blocks:walk{Div = function(div)
      if div.classes:includes("numbered-para") then
        local para = div.content[1]
        para.content:insert(1, pandoc.Space())
        para.content:insert(1, number_prefix(div))
        return pandoc.Div({para}, pandoc.Attr(div.identifier, {"council-para"}))
      elseif div.classes:includes("report-chart") then
        local a = div.attributes
        local image = pandoc.Image(a.alt, request.html_charts_prefix .. a.key .. ".svg")
        return pandoc.Figure(pandoc.Plain{image}, {pandoc.Plain(a.caption)}, pandoc.Attr("chart-" .. a.key))
      end
    end}
  end

  local function for_docx(blocks)
    -- A clerk's Word file: each section a Heading 1 (the navigation pane and the TOC field list them),
    -- authors' sub-headings a level below.
    blocks = blocks:walk{Header = function(h) h.level = math.max(1, h.level - 1); return h end}
    return blocks:walk{Div = function(div)
      if div.classes:includes("numbered-para") then
        local para = div.content[1]
        para.content:insert(1, pandoc.Space())
        para.content:insert(1, pandoc.Str(div.attributes.number .. "."))
        local style = div.attributes.number:match("^C") and "Conclusion" or "Numbered Paragraph"
        return pandoc.Div({para}, pandoc.Attr("", {}, {{"custom-style", style}}))
      elseif div.classes:includes("report-chart") then
        local a = div.attributes
        local image = pandoc.Image(a.alt, request.docx_charts_dir .. "/" .. a.key .. ".png", "",
                                   pandoc.Attr("", {}, {{"width", a.width}}))
        return pandoc.Figure(pandoc.Plain{image}, {pandoc.Plain(a.caption)})
      end
    end}
  end

  -- PDF: a table short enough to fit a page is never split (no Total row or single row alone on a page);
  -- a paragraph just before a table or chart stays on its page (its lead-in).
  local function keep_short_tables(blocks)
    return blocks:walk{Table = function(tbl)
      local rows = #tbl.head.rows + #tbl.foot.rows
      for _, body in ipairs(tbl.bodies) do rows = rows + #body.head + #body.body end
      if rows <= KEEP_WHOLE_ROWS then return pandoc.Div({tbl}, pandoc.Attr("", {"keep-whole"})) end
    end}
  end

  local function starts_float(block)
    return block and ((block.t == "Div" and block.classes:includes("keep-whole"))
                      or (block.t == "RawBlock" and (block.text:match("^#figure") or block.text:match("^#chart"))))
  end

  local function sticky_lead_ins(list)
    local out = pandoc.Blocks{}
    for i, block in ipairs(list) do
      if (block.t == "Para" or (block.t == "RawBlock" and block.text:match("^#numbered%-par"))) and starts_float(list[i + 1]) then
        out:extend{pandoc.RawBlock("typst", "#block(sticky: true)["), block, pandoc.RawBlock("typst", "]")}
      else
        out:insert(block)
      end
    end
    return out
  end

  local function for_typst(blocks)
    return common.for_typst(keep_short_tables(blocks)):walk{Div = function(div)
      if div.classes:includes("numbered-para") then
        local inner = typst_inline(div.content[1].content)
        return pandoc.RawBlock("typst", "#numbered-par(" .. typst_string(div.attributes.number .. ".") .. ")["
                                        .. inner .. "]")
      elseif div.classes:includes("report-chart") then
        local a = div.attributes
        return pandoc.RawBlock("typst", "#chart(" .. typst_string(request.typst_charts_prefix .. a.key .. ".svg")
                               .. ", " .. typst_string(a.alt) .. ", " .. typst_string(a.caption) .. ", "
                               .. a.pdf_width .. ")")
      end
    end}:walk{Div = function(div)
      if div.classes:includes("keep-whole") then
        local kept = pandoc.Blocks{pandoc.RawBlock("typst", "#block(breakable: false)[")}
        kept:extend(div.content)
        kept:insert(pandoc.RawBlock("typst", "]"))
        return kept
      end
    end}:walk{Blocks = sticky_lead_ins}
  end

  local answer = {headings = headings(all), paragraphs = count, labels = labels}
  answer.html = pandoc.write(pandoc.Pandoc(common.scrollable_tables(for_html(resolve(all, true))), doc.meta),
                             "html5", opts)
  answer.typst = pandoc.write(pandoc.Pandoc(for_typst(common.typst_languages(resolve(all, false))), doc.meta),
                              common.TYPST, opts)
  local document_body = common.unlinked_crossrefs(common.word_bibliography(for_docx(resolve(all, false))))
  for _, document in ipairs(request.documents or {}) do
    -- title and author go into the properties only: as metadata pandoc would print them above the marking
    common.write_document(document, document_body, request.style.lang)
  end
  if #unresolved > 0 then error("unresolved paragraph references: " .. table.concat(unresolved, ", ")) end
  return answer
end
end
