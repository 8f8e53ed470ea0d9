/// RULER's kinds of long-context task, as `assay generate long-context` writes them.
public enum LongContextTask: String, Sendable, CaseIterable {
    /// One needle (a key and its number) at a depth; one haystack per depth.
    case singleNeedle = "niah-single"
    /// Four needles with different keys in one haystack; a case asks one key (the cases share
    /// the haystack, so a prompt cache can serve their common prefix).
    case multiKey = "niah-multikey"
    /// One key with four numbers spread through the haystack; the case asks for all four.
    case multiValue = "niah-multivalue"
    /// A chain of assignments (`VAR B = VAR A`) across the haystack; the case asks for every
    /// variable that holds the first one's value.
    case variableTracking = "variable-tracking"
    /// A long list of words; the case asks for the three that occur most often.
    case aggregation = "frequent-words"
    /// Facts about people spread through a long document; a case asks about one person.
    case questionAnswering = "qa"
}

/// The words each language's needles, questions and facts are made of.
struct TaskWords {
    let language: HaystackLanguage

    var adjectives: [String] {
        language == .en
            ? [
                "quiet", "amber", "silver", "northern", "hollow", "bright", "gentle", "hidden", "ancient", "crimson",
                "distant", "frozen", "golden", "humble", "ivory", "jagged", "lonely", "misty", "narrow", "olive",
                "pale", "rapid", "scarlet", "tidy", "velvet", "wandering", "young", "zealous", "bitter", "copper",
            ]
            : ["青", "白", "红", "金", "银", "古", "远", "静", "明", "暗", "长", "高", "深", "新", "老", "南", "北", "东", "西", "小"]
    }

    var nouns: [String] {
        language == .en
            ? [
                "harbor", "lantern", "meadow", "falcon", "orchard", "compass", "glacier", "willow", "anchor", "beacon",
                "cellar", "dune", "ember", "fjord", "garnet", "heron", "island", "juniper", "kettle", "ledger",
                "marble", "nectar", "otter", "pepper", "quarry", "raven", "saddle", "thistle", "urchin", "violet",
            ]
            : ["松", "月", "山", "河", "灯", "舟", "桥", "塔", "林", "泉", "石", "云", "雪", "竹", "梅", "鹤", "镜", "钟", "门", "湖"]
    }

    var firstNames: [String] {
        language == .en
            ? [
                "Ada", "Basil", "Clara", "Dorian", "Edith", "Felix", "Greta", "Hugo", "Iris", "Jasper", "Lena",
                "Milo", "Nora", "Oscar", "Pearl", "Quentin", "Rosa", "Silas", "Thea", "Victor",
            ]
            : ["张", "王", "李", "赵", "刘", "陈", "杨", "黄", "周", "吴", "徐", "孙", "马", "朱", "胡", "郭", "何", "林", "罗", "高"]
    }

    var lastNames: [String] {
        language == .en
            ? [
                "Whitlock", "Ashby", "Brennan", "Calloway", "Darrow", "Ellery", "Fairbank", "Galloway", "Hartwell",
                "Ingram", "Jessup", "Kendrick", "Lowell", "Merritt", "Norcross", "Oakley", "Pembroke", "Radcliffe",
                "Sterling", "Thorne",
            ]
            : [
                "明远", "文静", "子涵", "浩然", "思源", "雨桐", "嘉怡", "俊杰", "晓东", "秀英", "志强", "海燕", "春生", "玉兰", "德华", "建国", "丽娟",
                "国强", "少华", "宏伟",
            ]
    }

    var towns: [String] {
        language == .en
            ? [
                "Marrowfield", "Brackenridge", "Coldwater", "Dunmore", "Elmstead", "Foxhollow", "Greystone",
                "Hawksmoor", "Ivybridge", "Kingsmere", "Larkspur", "Millbrook", "Northwick", "Oakhaven", "Pinecrest",
                "Ravensworth", "Stonebury", "Thornfield", "Westmarch", "Yarrowby",
            ]
            : [
                "清河镇", "柳湾村", "石桥镇", "白沙村", "青山镇", "枫林村", "梅岭镇", "桃源村", "云溪镇", "竹园村", "松江镇", "杏花村", "龙潭镇", "凤鸣村", "金沙镇",
                "银滩村", "东湖镇", "西岭村", "南塘镇", "北坡村",
            ]
    }

    var jobs: [String] {
        language == .en
            ? [
                "clockmaker", "shipwright", "beekeeper", "cartographer", "glassblower", "bookbinder", "stonemason",
                "weaver", "apothecary", "saddler", "cooper", "engraver", "ferryman", "gardener", "tanner", "potter",
            ]
            : [
                "钟表匠", "造船匠", "养蜂人", "画图师", "吹玻璃匠", "装订匠", "石匠", "织工", "药师", "鞍匠", "箍桶匠", "雕刻师", "摆渡人", "园丁", "皮匠",
                "陶工",
            ]
    }

    /// Made-up words for the word lists of the aggregation task: syllables for English, two
    /// characters for Chinese.
    var wordParts: [String] {
        language == .en
            ? [
                "ka", "lo", "mi", "ru", "te", "va", "zo", "ne", "pi", "su", "do", "fe", "gu", "ha", "ji", "bo", "ce",
                "wu",
            ]
            : ["山", "水", "花", "草", "风", "雨", "雷", "电", "春", "夏", "秋", "冬", "金", "木", "火", "土", "日", "月"]
    }
}
