import { describe, expect, it } from "vitest";
import {
  bodyParagraphs,
  chineseDate,
  classificationText,
  copyNumberText,
  paragraphSegments,
  urgencyText,
} from "./format";
import { titleLines } from "./title";

describe("公文 element wording", () => {
  it("writes dates with Arabic numerals and no leading zeros", () => {
    expect(chineseDate("2026-11-29")).toBe("2026年11月29日");
    expect(chineseDate("2027-01-05")).toBe("2027年1月5日");
    expect(chineseDate(null)).toBeNull();
  });

  it("marks secrecy, urgency and the copy number", () => {
    expect(classificationText("confidential", "5")).toBe("机密★5年");
    expect(classificationText("top_secret", "长期")).toBe("绝密★长期");
    expect(classificationText("secret", null)).toBe("秘密");
    expect(classificationText("none", "5")).toBeNull();
    expect(urgencyText("extra_urgent")).toBe("特急");
    expect(urgencyText("urgent")).toBe("加急");
    expect(urgencyText("normal")).toBeNull();
    expect(copyNumberText("12")).toBe("000012");
    expect(copyNumberText(" ")).toBeNull();
  });

  it("sets headings in their faces, run-in headings up to the full stop", () => {
    expect(paragraphSegments("一、总体要求")).toEqual([{ face: "serif-bold", text: "一、总体要求" }]);
    expect(paragraphSegments("（二）工作目标。到2026年底完成。")).toEqual([
      { face: "kai-bold", text: "（二）工作目标。" },
      { face: "kai", text: "到2026年底完成。" },
    ]);
    expect(paragraphSegments("3.强化统管。")).toEqual([{ face: "kai-bold", text: "3.强化统管。" }]);
    expect(paragraphSegments("现将有关事项通知如下。")).toEqual([
      { face: "kai", text: "现将有关事项通知如下。" },
    ]);
    expect(bodyParagraphs("　　第一段\r\n\n  第二段  ")).toEqual(["第一段", "第二段"]);
  });
});

describe("titleLines", () => {
  const cut = (title: string, perLine: number) => {
    const chars = [...title];
    return titleLines(
      chars,
      chars.map(() => 1),
      perLine,
      1,
    ).map(([a, b]) => chars.slice(a, b).join(""));
  };

  it("keeps a title that fits on one line", () => {
    expect(cut("关于印发方案的通知", 20)).toEqual(["关于印发方案的通知"]);
  });

  it("breaks after 关于 rather than inside a word, even if the lines differ in length", () => {
    expect(cut("云溪区人民政府关于加快推进数字政府四网融合建设的通知", 20)).toEqual([
      "云溪区人民政府关于",
      "加快推进数字政府四网融合建设的通知",
    ]);
  });

  it("uses as few lines as fit, each within the width", () => {
    const title =
      "云溪区人民政府办公室转发区政务服务数据管理局关于进一步做好政务服务事项标准化和数据共享工作实施意见的通知";
    const lines = cut(title, 20);
    expect(lines.join("")).toBe(title);
    expect(lines).toHaveLength(Math.ceil([...title].length / 20));
    for (const line of lines) expect([...line].length).toBeLessThanOrEqual(20);
  });
});
