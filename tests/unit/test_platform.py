"""The platform layer on the real documents (../shared/site/real/), the checks that decide whether its
answers are believed, and the listing API's answers, good and bad."""

import pytest

from bhgcrawl import platform
from bhgcrawl.pages import dom
from bhgcrawl.pages.article import ArticlePage
from tests.helpers import SHARED

REAL = SHARED / "site" / "real"
DONGNAI = "https://baodongnai.com.vn/dong-nai-cuoi-tuan/202402/"
DONGNAI_URL = DONGNAI + "qua-bong-vang-2024-thuoc-ve-messi-ronaldo-mbappe-hay-haaland-92b3e7e/"


@pytest.fixture(scope="module")
def sister():
    return ArticlePage(DONGNAI_URL, (REAL / "baodongnai-article-2024.html").read_text("utf-8"))


def test_the_real_sister_page_read_as_a_page_of_its_own_host(sister):
    r = sister.to_record()
    assert r["url"] == DONGNAI_URL.rstrip("/")
    assert (r["article_id"], r["category"]) == ("92b3e7e", "dong-nai-cuoi-tuan")
    assert r["category_name"] == "Đồng Nai cuối tuần"
    assert r["title"] == "Quả bóng vàng 2024 thuộc về Messi, Ronaldo, Mbappe hay Haaland?"
    assert (r["published"], r["published_precision"]) == ("2024-02-03T23:07:00+07:00", "minute")
    assert r["publisher"] == "Báo Đồng Nai"
    assert r["authors"] == ["Bửu Tín"] and r["byline"] == "Bửu Tín"
    assert r["credits"] == [{"name": "Bửu Tín", "roles": ["text"]}]
    assert r["lead"] == ("Cuộc đua Quả bóng vàng 2024 hấp dẫn hơn bao giờ hết với hai dấu hỏi lớn thú vị: Liệu kỷ "
                         "nguyên Messi và Ronaldo thật sự chấm dứt hay chưa và có chắc là thế hệ Mbappe, Haaland hay "
                         "Bellingham chính thức lên ngôi?")
    body = r["body"].split("\n\n")
    assert len(body) == 18
    assert body[0] == "Những ứng viên tiềm năng" and body[4] == "Khoan đã, Messi chưa hết thời!"
    assert body[8].startswith("Năm 2024 có nhiều sự kiện bóng đá lớn như: VCK giải vô địch châu Á")  # the blockquote
    assert body[-1].startswith("Dẫu vậy, điều quan trọng cốt yếu là Mbappe") and body[-1].endswith("“đổi vận”.")
    assert "Bửu Tín" not in r["body"] and "Xem thêm bình luận" not in r["body"]
    assert [(i["url"].rsplit("/", 1)[1], i["caption"]) for i in r["images"]] == [
        ("45_1_20240203230640.jpeg", "Nhiều ngôi sao là ứng viên Quả bóng vàng 2024"),
        ("45_1_20240203230726.jpg", None),  # its caption cell holds only &nbsp;
        ("45_2_20240203230700.jpg", "Cristiano Ronaldo hướng tới EURO 2024")]
    assert r["tags"] == ["Messi", "Quả bóng vàng"]
    assert r["related"] == [
        {"url": DONGNAI + "nhung-anh-kep-tre-noi-bat-san-dien-cai-luong-2023-bed11a7",
         "title": "Những anh kép trẻ nổi bật sàn diễn cải lương 2023", "published": None,
         "published_precision": None},
        {"url": DONGNAI + "nghe-si-nhan-dan-que-anh-tinh-yeu-va-dam-me-voi-95d112a",
         "title": "Nghệ sĩ nhân dân Quế Anh: Tình yêu và đam mê với sân khấu", "published": None,
         "published_precision": None},
        {"url": DONGNAI + "xuan-giap-thin-nho-thi-tuong-huynh-van-nghe-dbb10ec",
         "title": "Xuân Giáp Thìn nhớ thi tướng Huỳnh Văn Nghệ", "published": None,
         "published_precision": None},
        {"url": DONGNAI + "thu-di-tim-nguon-goc-cua-pho-f3d109e", "title": "Thử đi tìm nguồn gốc của phở",
         "published": None, "published_precision": None}]


def test_every_answer_of_the_sister_page_came_from_the_platform_layer(sister):
    assert sister.layers() == {"title": "platform", "published": "platform", "authors": "platform"}
    assert sister.mismatches() == []
    info = sister.page.page_info
    assert (info.site_id, info.cate_id, info.cate_title) == (
        "e7837c02876411cd0187645a2551379f", "F8E14C52F9643E73E05382FC0367B7F5", "Đồng Nai cuối tuần")
    assert info.id_matches("92b3e7e") is True and info.id_matches("92b3e7f") is False


def test_the_2017_body_of_baohagiang():
    url = ("https://baohagiang.vn/xa-hoi/201712/"
           "le-cong-bo-xa-phu-linh-huyen-vi-xuyen-dat-chuan-nong-thon-moi-nam-2017-686512")
    page = ArticlePage(url, (REAL / "baohagiang-body-2017.html").read_text("utf-8"))
    r = page.to_record()
    assert (r["title"], r["published"], r["published_precision"]) == (None, "2017-12-01T00:00:00+07:00", "month")
    assert r["publisher"] == "Báo Hà Giang"
    assert r["lead"].startswith("Tối ngày 28.12, Đảng bộ, chính quyền và nhân dân xã Phú Linh")  # without "BHG - "
    assert r["event_date"] == "2017-12-28"
    assert [p[:30] for p in r["body"].split("\n\n")] == [
        "Tại buổi lễ, Văn phòng Điều ph", "Thừa ủy quyền của Chủ tịch UBN", "Cũng tại buổi lễ, Chủ tịch UBN"]
    assert [(i["url"], i["caption"][:40]) for i in r["images"]] == [
        ("https://baohagiang.vn/file//dataimages/201712/original/images1388904_dong_chi_vi_huu_cau....jpg",
         "Đồng chí Vi Hữu Cầu trao Bằng công nhận "),
        ("https://baohagiang.vn/file//dataimages/201712/original/images1388905_dong_chi_Muong_Ngoc_Lao....jpg",
         "Đồng chí Mương Ngọc Lào, Phó Bí thư Thườ")]
    assert page.layers() == {"published": "url"}


# ---- pages in the platform's template, made from the real one -------------------------------------------

SHELL = (REAL / "baodongnai-article-2024.html").read_text("utf-8")
TITLE = "Quả bóng vàng 2024 thuộc về Messi, Ronaldo, Mbappe hay Haaland?"


def variant(**swap) -> str:
    page = SHELL
    for old, new in swap.items():
        old = {"title": TITLE, "author": '<i class="fas fa-user-edit"></i> Bửu Tín</span>',
               "closing": '<p style="text-align: right;"><strong>Bửu Tín</strong></p>',
               "date": '<div class="date fleft">23:07, 03/02/2024</div>', "id": "adf923dc8d6b16cc018d6fb9b92b3e7e"}[old]
        assert old in page
        page = page.replace(old, new)
    return page


def test_a_title_that_opens_with_the_papers_name_is_a_title():
    title = "Báo Hà Giang kỷ niệm 50 năm thành lập"
    page = ArticlePage(DONGNAI_URL, variant(title=title))
    assert page.to_record()["title"] == title and page.layers()["title"] == "platform"


def test_the_papers_name_alone_is_no_headline():
    page = ArticlePage(DONGNAI_URL, variant(title="Báo Hà Giang"))
    assert page.page.platform_headline is None
    assert page.to_record()["title"] != "Báo Hà Giang"


def test_a_headline_its_metadata_contradicts_is_left_to_the_layered_reading():
    page = ArticlePage(DONGNAI_URL, SHELL.replace(f'<h1 class="head_title">{TITLE}', '<h1 class="head_title">Tin khác'))
    assert page.page.platform_headline is None and page.layers()["title"] == "layered"


def test_a_printed_time_outside_the_urls_months_is_not_believed():
    page = ArticlePage(DONGNAI_URL, variant(date='<div class="date fleft">23:07, 03/02/2019</div>'))
    assert page.layers()["published"] != "platform"
    assert not page.to_record()["published"].startswith("2019")


def test_header_author_and_closing_byline():
    only_header = ArticlePage(DONGNAI_URL, variant(closing="<p></p>")).to_record()
    assert only_header["authors"] == ["Bửu Tín"]
    only_closing = ArticlePage(DONGNAI_URL, variant(author="</span>"))
    assert only_closing.to_record()["authors"] == ["Bửu Tín"] and only_closing.layers()["authors"] == "layered"
    closing = '<p style="text-align: right;"><strong>Tin, ảnh: Bửu Tín</strong></p>'
    both = ArticlePage(DONGNAI_URL, variant(closing=closing))
    assert both.to_record()["credits"] == [{"name": "Bửu Tín", "roles": ["text", "photo"]}]  # one person, roles kept
    differ = ArticlePage(DONGNAI_URL, variant(author='<i class="fas fa-user-edit"></i> Hoàng Anh</span>')).to_record()
    assert differ["authors"] == ["Bửu Tín", "Hoàng Anh"]


def test_page_info_that_names_another_article_is_caught():
    page = ArticlePage(DONGNAI_URL, variant(id="adf923dc8d6b16cc018d6fb9b1234567"))
    assert page.mismatches() == ["article_id"]
    assert ArticlePage(DONGNAI_URL, SHELL).mismatches() == []


def test_menu_sections_and_their_ids():
    sections = platform.menu_sections(dom.parse(SHELL), DONGNAI_URL)
    assert sections["chinh-tri/xay-dung-dang"] == "F8E14CCDF6DF3EBBE05382FC0367A937"
    assert sections["media/infographic"] == "adf923dc88492e0f018856282f8901b7"
    assert len(sections) >= 30


# ---- the listing API -----------------------------------------------------------------------------

SITE = "https://baohagiang.vn/"
ITEM = '{"id": "4028ab", "title": "Mùa vụ xuân", "pageUrl": "/kinh-te/202401/mua-vu-xuan-0d530c3/", ' \
       '"publishDate": "2024-01-28T09:01:00+07:00", "objectType": "ARTICLE"}'
OLD = '{"id": 7, "title": "Hội thi", "pageUrl": "/xa-hoi/201210/hoi-thi-785426", ' \
      '"publishDate": "2012-10-24 15:47:04.694"}'


def test_api_answer_as_jsonp_and_as_json():
    for text in (f'jQuery1234_5({{"response": [{ITEM}, {OLD}]}});', f'{{"response": [{ITEM}, {OLD}]}}'):
        answer = platform.parse_api(text, SITE)
        assert answer.problem is None
        assert [i.url for i in answer.items] == ["https://baohagiang.vn/kinh-te/202401/mua-vu-xuan-0d530c3/",
                                                 "https://baohagiang.vn/xa-hoi/201210/hoi-thi-785426"]
        assert [(i.published.isoformat(), i.published.precision) for i in answer.items] == [
            ("2024-01-28T09:01:00+07:00", "minute"), ("2012-10-24T15:47:04+07:00", "minute")]
        assert [i.id for i in answer.items] == ["4028ab", "7"] and answer.items[0].title == "Mùa vụ xuân"


@pytest.mark.parametrize(("text", "problem"), [
    ('cb({"erorr": "Không tìm thấy chuyên mục"})', "error"),
    ('cb({"response": [', "invalid_json"),
    ("<html><body>404</body></html>", "callback"),
    ('alert(document.cookie);cb({"response": []})', "callback"),
    ('cb({"response": "none"})', "invalid_json"),
    ("", "callback"),
])
def test_api_answers_that_are_no_list_are_a_problem_not_a_crash(text, problem):
    assert platform.parse_api(text, SITE) == platform.ApiAnswer([], problem)


def test_api_items_without_a_page_url_are_left_out():
    answer = platform.parse_api(f'{{"response": [{{"title": "x"}}, 5, null, {ITEM}]}}', SITE)
    assert [i.title for i in answer.items] == ["Mùa vụ xuân"] and answer.problem is None


def test_api_url():
    assert platform.api_url(SITE, platform.BHG_UNIT, "F8E1", 200, 100) == (
        "https://baohagiang.vn/service/api/article/list?scUnitMapId=4028eaa4679b32c401679c0c74382a7e"
        "&saArticleCateId=F8E1&first=200&pageSize=100")
