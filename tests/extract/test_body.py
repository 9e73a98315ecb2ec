"""Body extraction rules: block cleaning, articleBody combination, script fallback."""

import lxml.html
import pytest

from newscrawl.extract.boilerplate import (caption_texts, is_boilerplate_line, is_caption, is_link_line, link_texts,
                                          trim_tail)
from newscrawl.extract.body import (Block, clean_blocks, combine, header_standfirst, join_split_bodies,
                                   main_text_blocks, prune_boxes,
                                   script_body_paragraphs, under_extracted, _long_paragraphs,
                                   focus_on_article)

SENTENCE = "The council voted on the new budget after a long debate about schools and roads in the city centre"


def paras(n, prefix="Paragraph"):
    return [f"{prefix} {i}: {SENTENCE} and more words number {i}." for i in range(n)]


def test_boilerplate_lines():
    for line in ("Read more: Council approves budget", "Lesen Sie auch", "Les også: Tone Damli ofret musikkarrieren",
                 "Foto: Max Muster", "John Doe/Getty Images", "By Jane Smith",
                 "Externer Inhalt nicht verfügbar", "Sign up for our newsletter",
                 "Uppdaterad 15.59 | Publicerad 14.14", "2025年1月14日 01時28分",
                 "Reporter Name reporter@example.com",
                 "Mario Vargas Llosa in Lima. | Jörg Carstensen/dpa",
                 "Link zum YouTube-Inhalt", "View this post on Instagram",
                 "A post shared by City Council (@citycouncil)"):
        assert is_boilerplate_line(line), line
    for line in (SENTENCE, "By the end of the year, the council had approved the budget.",
                 "Bayern – Dortmund 2:1", "Where does the money go?",
                 "In a post shared by the ministry on Monday, officials defended the budget."):
        assert not is_boilerplate_line(line), line


def test_prompt_words_inside_a_sentence_are_article_text():
    for line in ("WASHINGTON (CNN) - Not everyone subscribes to a New Year's resolution, but Americans will "
                 "be required to follow new laws in 2014.",
                 "Anyone with information is asked to get in touch with the police on 101.",
                 "Customers who sign up before Friday will pay the old price, the company said."):
        assert not is_boilerplate_line(line), line
    for line in ("Subscribe to our daily briefing", "Sign up for Worth Your Time",
                 "Want weekly recommendations on what to watch and read? Sign Up for Worth Your Time",
                 "Got a story? Get in touch with our news team by emailing us at news@example.com.",
                 "Patricio Candia | Palma de Mallorca | 08/01/2014"):
        assert is_boilerplate_line(line), line


def test_captions_and_links():
    tree = lxml.html.document_fromstring(
        "<html><body><img src='a.jpg' alt='The mayor speaks at the council meeting'>"
        "<figure><figcaption>Protesters gather outside the town hall</figcaption></figure>"
        "<p class='image-caption'>A crowded square</p>"
        "<a href='/other'>Another story about the stadium roof</a><a href='#part2'>Part two of this article</a>"
        "</body></html>")
    caps = caption_texts(tree)
    assert is_caption("The mayor speaks at the council meeting", caps)
    assert is_caption("Protesters gather outside the town hall", caps)
    assert is_caption("A crowded square", caps)
    assert not is_caption(SENTENCE, caps)
    links = link_texts(tree)
    assert is_link_line("Read also: Another story about the stadium roof", links)
    assert not is_link_line("Part two of this article", links)  # in-page anchors are intertitles
    assert not is_link_line(SENTENCE, links)


def test_clean_blocks_drops_headline_captions_and_keeps_summary_caption():
    tree = lxml.html.document_fromstring(
        "<html><body><h1>Budget approved</h1><img alt='Summary sentence that is also the image text here'>"
        "<img alt='The mayor at the meeting'></body></html>")
    blocks = [Block("Budget approved", "head"), Block("Summary sentence that is also the image text here"),
              Block("The mayor at the meeting"), Block(SENTENCE), Block("Share this article")]
    out = clean_blocks(blocks, tree, ("Budget approved",), "Summary sentence that is also the image text here")
    assert out == ["Summary sentence that is also the image text here", SENTENCE]


def test_combine_truncated_articlebody_keeps_main():
    main = paras(10)
    paragraphs, method = combine(main, main[:1])
    assert paragraphs == main and method == "main_text"


def test_combine_filters_boxes_but_keeps_intertitles_and_lede():
    lede = "A standfirst that the publisher left out of its articleBody but shows on the page"
    body = paras(8)
    head = Block("What happens next", "head")
    main = [lede] + body[:4] + [head] + body[4:] + ["Subscribe today and enjoy unlimited digital access to every edition for a whole year at half price"]
    structured = body
    paragraphs, method = combine(main, structured)
    assert method == "main_text+jsonld"
    assert paragraphs == [lede] + body[:4] + [head] + body[4:]


def test_script_fallback_and_comment_free_tree():
    html = ('<html><head><script>window.state = {"subTitle":"Short subtitle line here",'
            '"contentHtml":"' + "".join(f"\\u003cp\\u003e{p}\\u003c/p\\u003e" for p in paras(4)) +
            '$$ARTICLEAD$$\\u003cdiv class=\\"caption\\"\\u003eA photo caption\\u003c/div\\u003e"};</script>'
            '</head><body><div id="app"></div></body></html>')
    tree = lxml.html.document_fromstring(html)
    out = script_body_paragraphs(tree)
    assert out[0] == "Short subtitle line here"
    assert out[1:] == paras(4)
    blocks = main_text_blocks(tree, "https://example.com/a")
    assert [str(b) for b in blocks][-4:] == paras(4)


def test_text_after_link_with_comment_is_kept():
    ps = "".join(f"<p>{p}</p>" for p in paras(6))
    html = (f"<html><body><article><h1>Title</h1>{ps}<p>Costs of <a href='/x'>borrowing<!-- --></a> "
            f"rise as the markets respond to the forecasts published today.</p>{ps}</article></body></html>")
    tree = lxml.html.document_fromstring(html)
    blocks = main_text_blocks(tree, "https://example.com/a")
    assert any("rise as the markets respond" in b for b in blocks)


def test_prune_boxes_removes_fact_box_and_related_list_but_not_the_article():
    ps = "".join(f"<p>{p}</p>" for p in paras(6))
    html = (f"<html><body><div class='article related-content-enabled'><h1>Title</h1>{ps}"
            "<div class='fact-box'><h3>Facts about budgets</h3><p>A budget is a plan for money.</p></div>"
            "<ul class='related-articles'><li><a href='/a'>Another story</a></li></ul>"
            "<div id='budget-promoted-in-london'><p>Slide text that belongs to the article.</p></div>"
            "</div></body></html>")
    tree = lxml.html.document_fromstring(html)
    assert prune_boxes(tree) == 2
    text = tree.text_content()
    assert "Facts about budgets" not in text and "Another story" not in text
    assert paras(6)[5] in text and "Slide text" in text  # a slug in an id is not a box word


def test_under_extracted():
    tree = lxml.html.document_fromstring("<html><body>" + "".join(f"<p>{p}</p>" for p in paras(8)) + "</body></html>")
    assert under_extracted([Block(p) for p in paras(2)], _long_paragraphs(tree))
    assert not under_extracted([Block(p) for p in paras(8)], _long_paragraphs(tree))


FOCUS_PAGE = ("<html><head><title>t</title></head><body><nav><a href='/'>Home</a></nav>tail of body"
              "<div class='page'><aside><p>{side}</p></aside>loose<header><h1>The budget</h1></header>"
              "<div class='content'><div class='article-body'>{body}</div><div class='teasers'><p>Other</p></div></div>"
              "<footer>Imprint</footer></div><div id='cookie'>Cookies</div></body></html>")


def test_focus_on_article_keeps_the_container_with_headline_and_ancestors_and_restores():
    html = FOCUS_PAGE.format(side="Side note.", body="".join(f"<p>{p}</p>" for p in paras(6)))
    tree = lxml.html.document_fromstring(html)
    before = lxml.html.tostring(tree)
    removed = focus_on_article(tree)
    text = tree.text_content()
    # The deepest element with the paragraph text is .article-body; the headline sits outside it,
    # so its container .page (not the whole body) is kept.
    assert "The budget" in text and all(p in text for p in paras(6)) and "Imprint" in text
    assert "Home" not in text and "Cookies" not in text and "tail of body" not in text
    assert tree.xpath("//div[@class='page']/div[@class='content']/div[@class='article-body']")
    for parent, index, el in removed:
        parent.insert(index, el)
    assert lxml.html.tostring(tree) == before


def test_focus_on_article_leaves_pages_with_little_paragraph_text_alone():
    html = FOCUS_PAGE.format(side="Side note.", body="<p>Too short to tell where the article is.</p>")
    tree = lxml.html.document_fromstring(html)
    assert focus_on_article(tree) == []
    assert "Cookies" in tree.text_content()


def test_focus_on_article_not_when_headline_and_text_are_far_apart():
    chatter = "".join(f"<p>{p}</p>" for p in paras(12))
    html = f"<html><body><article><h1>The budget</h1></article><div class='voices'>{chatter}</div></body></html>"
    assert focus_on_article(lxml.html.document_fromstring(html)) == []


def test_header_standfirst():
    standfirst = "The council approved the budget after a long night of debate about schools and roads."
    body = paras(3)

    def page(header):
        return lxml.html.document_fromstring(
            f"<html><body><article><header><div class='kicker'>Politics</div><h1>Council approves budget</h1>"
            f"{header}</header>" + "".join(f"<p>{p}</p>" for p in body) + "</article></body></html>")
    titles = ("Council approves budget",)
    tree = page(f"<p class='byline'>By Jane Smith and John Doe of the City Desk team</p><div>{standfirst}</div>")
    assert header_standfirst(tree, body, titles) == standfirst
    assert header_standfirst(page(""), body, titles) is None
    # a headline variant, a date line and an unrelated promotion are not standfirsts
    tree = page("<p>Politics: Council approves budget for the coming year in the city</p>"
                "<p>Published 12 March 2024, 10:45 by the City Desk of the newspaper</p>"
                "<p>Download our app now and get a voucher worth ten euros for your next purchase!</p>")
    assert header_standfirst(tree, body, titles) is None


def test_trim_tail_and_headline_variants():
    body = paras(5)
    assert trim_tail(body + ["Quellen:", "Landtag, Stellungnahmen", "Interviews"]) == body
    assert trim_tail(body + ["Mit Agenturmaterial.", "Fehler gefunden? Jetzt melden."]) == body
    assert trim_tail(body + ["この記事は会員限定です。", "会員登録できます。"]) == body
    assert trim_tail(body + ["Sources: " + SENTENCE]) == body + ["Sources: " + SENTENCE]  # long: not a list
    for line in ("3 Minuten Lesezeit", "Von: Bill McCarthy", "Фото: Дмитрий Азаров"):
        assert is_boilerplate_line(line), line
    blocks = [Block("Migration: Council approves budget"), Block(SENTENCE)]
    assert clean_blocks(blocks, None, ("Council approves budget",)) == [SENTENCE]


# ---- failure classes and self-checks -----------------------------------------------------------

from newscrawl.extract.text import normalize_for_compare  # noqa: E402
from newscrawl.extract.body import (agreement, check_body, container_blocks, drop_link_bars,  # noqa: E402
                                    link_share, link_text_set, main_text, text_share)


def test_link_bars_go_and_prose_with_links_and_product_lists_stay():
    tree = lxml.html.document_fromstring(
        "<html><body><div id='c'><h1>Budget approved</h1>"
        "<p id='bar'><a href='/a'>Schools</a> | <a href='/b'>Roads</a> | <a href='/c'>Parks</a></p>"
        "<p id='prose'>The <a href='/x'>council</a> met the <a href='/y'>mayor</a> and the "
        f"<a href='/z'>press</a> on Tuesday. {SENTENCE}.</p>"
        "<ul id='deals'><li><a href='/p1'>Budget speaker model one in black</a> for $20</li>"
        "<li><a href='/p2'>Budget speaker model two in white</a> for $30</li>"
        "<li><a href='/p3'>Budget speaker model three in red</a> for $40</li></ul>"
        "<p id='cast'>With <a href='/1'>Tom Hanks</a>, <a href='/2'>Meg Ryan</a>, <a href='/3'>Bill Pullman</a>.</p>"
        "</div></body></html>")
    assert drop_link_bars(tree) == 1
    assert tree.get_element_by_id("bar", None) is None
    assert tree.get_element_by_id("prose", None) is not None and tree.get_element_by_id("deals", None) is not None
    assert tree.get_element_by_id("cast", None) is not None


def test_tables_are_read_as_one_block_per_row():
    rows = "".join(f"<tr><td>{k}</td><td>Runner number {k}</td><td>2:{k:02d}</td></tr>" for k in range(1, 21))
    tree = lxml.html.document_fromstring(
        f"<html><body><article><h1>Results</h1>{''.join(f'<p>{p}</p>' for p in paras(3))}<table>{rows}</table>"
        "</article></body></html>")
    blocks = main_text(tree).blocks
    assert [b for b in blocks if b.kind == "row"][:2] == ["1 | Runner number 1 | 2:01", "2 | Runner number 2 | 2:02"]


def test_page_furniture_lines_are_boilerplate():
    for line in ("Supported by", "Highlights", "Listen to this article", "Advertisement", "Updated",
                 "Story continues below advertisement", "Artikel anhören", "Key points:"):
        assert is_boilerplate_line(line), line
    for line in ("Supported by the council, the library opened a new wing on Monday.", "Highlights of the season"
                 " included a win against the champions and a record crowd in the final round."):
        assert not is_boilerplate_line(line), line


def test_container_blocks_read_paragraphs_items_and_rows_in_order_without_figures():
    tree = lxml.html.fragment_fromstring(
        "<div><p>First paragraph here.</p><figure><figcaption>A caption</figcaption></figure><h2>Intertitle</h2>"
        "<ul><li>One item</li><li>Two <p>nested</p></li></ul><table><tr><td>a</td><td>b</td></tr></table></div>")
    blocks = container_blocks(tree)
    assert blocks == ["First paragraph here.", "Intertitle", "One item", "Two nested", "a | b"]
    assert [b.kind for b in blocks] == ["p", "head", "item", "item", "p"]


def test_text_share_and_boxed_text_of_the_main_text_pick():
    box = "".join(f"<p>Fact {i}: the ferry carries forty bicycles and two hundred passengers each trip.</p>"
                  for i in range(3))
    tree = lxml.html.document_fromstring(
        f"<html><body><article><h1>Ferry</h1>{''.join(f'<p>{p}</p>' for p in paras(8))}"
        f"<div class='factbox'>{box}</div></article></body></html>")
    pick = main_text(tree)
    assert pick.text_share == 1.0
    assert "fact 0: the ferry carries forty bicycles" in pick.boxed
    assert not any(b.startswith("Fact") for b in pick.blocks)
    assert text_share(pick.blocks[:2], pick.long_paragraphs) < 0.5


def test_agreement_and_link_share():
    body = paras(6)
    assert agreement(body, body) == (1.0, 1.0)
    assert agreement(body, ["too short"]) is None
    found, confirmed = agreement(body[:3], body)
    assert 0.4 < found < 0.7 and confirmed == 1.0
    links = link_text_set(lxml.html.document_fromstring(
        "<html><body><a href='/a'>Home</a><a href='/b'>Parking permits</a></body></html>"))
    assert link_share(["Home", "Parking permits", "x" * 81], links) == 0.19


def test_check_body_trusts_agreement_and_flags_doubt():
    body = paras(6)
    assert check_body(body, "main_text+jsonld", body, 0.9, frozenset()).confidence == 1.0
    other = [f"Entirely different words number {i} about weather rain wind and snow on the coast today"
             for i in range(6)]
    doubtful = check_body(body, "main_text", other, 0.9, frozenset())
    assert doubtful.doubtful and "disagreement" in doubtful.flags and doubtful.confidence <= 0.6
    cut = check_body(body, "main_text", [], 0.2, frozenset())
    assert cut.flags == ("low_text_share",) and cut.confidence == 0.63
    menu = ["Home", "Parking permits", "Waste collection", "Council tax"] * 5
    links = frozenset(normalize_for_compare(m) for m in menu)
    dense = check_body(menu, "main_text", [], None, links)
    assert "link_dense" in dense.flags and dense.confidence < 0.1


def test_the_headline_goes_with_the_labels_above_it_and_sentences_stay():
    blocks = [Block("Transport", "p"), Block("Exclusive", "p"), Block("Bridge reopens after repairs", "head"),
              Block(SENTENCE)]
    assert clean_blocks(blocks, None, ("Bridge reopens after repairs",)) == [SENTENCE]
    lede = Block("The bridge is open.")
    assert clean_blocks([lede, Block("Bridge reopens after repairs"), Block(SENTENCE)], None,
                        ("Bridge reopens after repairs",))[0] == lede


@pytest.mark.parametrize("line", [
    "Foto: Getty Images", "FOTO: GETTY IMAGES", "Cookie settings", "COOKIE-EINSTELLUNGEN", "Sign up for our NEWSLETTER",
    "Yayınlanma 12.03.2024", "YAYINLANMA 12.03.2024", "yayinlanma 12.03.2024", "Veröffentlicht 12.03.2024",
    "İmza cookie", "ſubscribe now", "An ordinary sentence about the budget and the council."])
def test_boilerplate_rules_match_alike_on_the_lowered_line(line):
    """The plain copies of the case-insensitive rules, on the lower-cased line, match exactly as the
    originals on the line (or the line takes the originals)."""
    from newscrawl.extract import boilerplate as b
    low = b._lowered(line)
    for rule, plain in zip((b._AGENCY_CREDIT, b._CONSENT, b._DATELINE, b._NEWSLETTER), b._PLAIN_RULES):
        assert low is None or bool(plain.search(low)) == bool(rule.search(line)), (rule.pattern[:30], line)
    assert b.is_boilerplate_line(line) == (line != "An ordinary sentence about the budget and the council.")


def test_lines_with_foldings_beyond_lower_take_the_case_insensitive_rules():
    from newscrawl.extract import boilerplate as b
    assert b._lowered("ſubscribe") is None and b._lowered("İstanbul") is None and b._lowered("Cookie") == "cookie"


def test_trafilatura_settings_built_once_equal_the_ones_bare_extraction_builds():
    """(trafilatura's settings are built once and copied per page: they must stay what its
    bare_extraction would build from the same options, whatever its version.)"""
    from trafilatura.settings import Extractor

    from newscrawl.extract.body import _OPTIONS, _extractor
    for fast, recall in ((True, False), (False, False), (True, True)):
        ours = _extractor("https://example.org/a", fast=fast, favor_recall=recall)
        theirs = Extractor(output_format="python", fast=fast, recall=recall, comments=_OPTIONS["include_comments"],
                           formatting=_OPTIONS["include_formatting"], links=_OPTIONS["include_links"],
                           images=_OPTIONS["include_images"], tables=_OPTIONS["include_tables"],
                           dedup=_OPTIONS["deduplicate"], url="https://example.org/a")
        slots = [s for c in type(theirs).__mro__ for s in getattr(c, "__slots__", ())] or list(vars(theirs))
        assert {s: getattr(ours, s) for s in slots} == {s: getattr(theirs, s) for s in slots}
    assert _extractor("https://example.org/b", fast=True, favor_recall=False).url == "https://example.org/b"


def test_quick_retry_only_when_the_missed_paragraphs_are_outside_the_focus():
    from newscrawl.extract.body import _missed_outside
    inside = "an inside paragraph that the quick reading of the focused article did not return at all"
    outside = "an outside paragraph that sat beside the focused container and was taken away with it"
    aside = lxml.html.fromstring(f"<div><p>{outside.upper()}</p></div>")
    removed = [(None, 0, aside)]
    assert _missed_outside(["Another text."], [inside, outside], removed)      # one missed is outside
    assert not _missed_outside(["Another text."], [inside], removed)            # all missed are inside
    assert not _missed_outside([outside], [outside], removed)                   # nothing missed
    assert not _missed_outside(["Another text."], [inside, outside], [])        # nothing removed


def test_member_prompts_of_cjk_pages_go_and_after_the_free_part_end_the_text():
    text = ["東京女子医大の新校舎建設工事を巡って、業務報酬名目で不正に約1億2000万円を支払わせて大学に損害を与えたとして、警視庁捜査2課は13日、背任の疑いで元理事長を逮捕した。",
            "逮捕容疑では、2018年7月から2020年2月、同大の新校舎2棟の建設工事を巡り、業務報酬名目で約1億2000万円を不正に支払わせ、大学に損害を与えた疑いがある。"]
    blocks = [Block("記事をマイページに保存し、『あとで読む』ことができます。ご利用には会員登録が必要です。"), *map(Block, text),
              Block("＞ 新規会員登録"), Block("中日プラスに登録すると"), Block("会員向け記事が読み放題")]
    assert clean_blocks(blocks) == text


def test_split_body_parts_are_joined_and_nested_or_textless_ones_are_not():
    text = f"<p>{SENTENCE} and more.</p>"
    tree = lxml.html.document_fromstring(
        f"<html><body><div class='story-body'>{text}</div><div class='ad'>Ad</div><div class='story-body'>{text}{text}</div>"
        f"<div class='post-content'>{text}<div class='post-content'>{text}</div></div>"
        f"<div class='article-text'>{text}</div><div class='article-text'><p>Short.</p></div></body></html>")
    assert join_split_bodies(tree) == 1
    first, second = tree.xpath("//div[@class='story-body']")
    assert len(first.findall("p")) == 3 and len(second) == 0
    assert len(tree.xpath("//div[@class='post-content']")) == 2 and len(tree.xpath("//div[@class='article-text'][p]")) == 2
