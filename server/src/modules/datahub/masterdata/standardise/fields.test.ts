import { describe, expect, it } from "vitest";
import { fieldsOf, fieldTitle, LEGAL_PERSON_FIELDS, PERSON_FIELDS } from "./fields";

describe("fieldsOf", () => {
  it("lists each base's fields in display order", () => {
    expect(fieldsOf("population")).toBe(PERSON_FIELDS);
    expect(fieldsOf("legalPerson")).toBe(LEGAL_PERSON_FIELDS);
    expect(fieldsOf("population")[0]).toBe("name");
    expect(fieldsOf("legalPerson")).toContain("uscc");
    expect(fieldsOf("population")).not.toContain("uscc");
  });
});

describe("fieldTitle", () => {
  it("names the same field by its base", () => {
    expect(fieldTitle("population", "name")).toBe("姓名");
    expect(fieldTitle("legalPerson", "name")).toBe("名称");
    expect(fieldTitle("legalPerson", "uscc")).toBe("统一社会信用代码");
    expect(fieldTitle("population", "idNumber")).toBe("公民身份号码");
  });

  it("has a distinct Chinese title for every field", () => {
    for (const base of ["population", "legalPerson"] as const) {
      const titles = fieldsOf(base).map((field) => fieldTitle(base, field));
      expect(new Set(titles).size).toBe(titles.length);
      for (const title of titles) expect(title).toMatch(/^[\u4e00-\u9fff（）]+$/);
    }
  });

  it("falls back to the field name for unknown fields", () => {
    expect(fieldTitle("population", "uscc")).toBe("uscc");
    expect(fieldTitle("legalPerson", "toString")).toBe("toString");
  });
});
