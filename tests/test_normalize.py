from indexer.text.normalize import compact, fold, to_simplified


def test_traditional_folds_to_simplified_keeping_length():
    text = "廣州市黃埔區政務服務數據管理局全麵貫徹"
    assert to_simplified(text) == "广州市黄埔区政务服务数据管理局全面贯彻"
    assert len(fold(text)) == len(text)


def test_simplified_text_is_left_alone():
    # zh-cn style converters rewrite these; t2s must not
    assert to_simplified("程序 智慧型 面条") == "程序 智慧型 面条"


def test_full_width_and_case_fold():
    assert fold("ＡＢＣ（一）１２") == "abc(一)12"


def test_compact_drops_punctuation_inside_terms():
    assert compact("“双随机、一公开”") == compact("双随机，一公开") == "双随机一公开"


def test_compact_keeps_exactly_the_word_characters():
    from indexer.text.normalize import compact, fold, is_word_char

    text = "“双随机、一公开”_ABC１２３ 全麵貫徹！№ⅻ①"
    assert compact(text) == "".join(ch for ch in fold(text) if is_word_char(ch))


def test_variant_forms_t2s_misses_fold_too():
    assert fold("陜西省人民政府") == fold("陝西省人民政府") == "陕西省人民政府"
    assert fold("廣州巿") == "广州市"
