import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { maskDeep, maskIdNumber, maskName, maskPhone, maskText } from "./mask";

const ID_LIKE = /(?<!\d)\d{17}[\dXx](?!\d)/;
const MOBILE_LIKE = /(?<!\d)1[3-9]\d{9}(?!\d)/;

describe("single-value maskers", () => {
  it("masks ID numbers keeping 4 + 4", () => {
    expect(maskIdNumber("440103199001011234")).toBe("4401**********1234");
    expect(maskIdNumber("11010519491231002X")).toBe("1101**********002X");
    expect(maskIdNumber("110105491231002")).toBe("1101*******1002");
    expect(maskIdNumber("1234")).toBe("****");
  });

  it("masks mobiles keeping 3 + 4", () => {
    expect(maskPhone("13812345678")).toBe("138****5678");
    expect(maskPhone("12345")).toBe("*****");
  });

  it("masks names keeping the first character", () => {
    expect(maskName("张三丰")).toBe("张**");
    expect(maskName("张三")).toBe("张*");
    expect(maskName("Li Lei")).toBe("L*****");
    expect(maskName("张")).toBe("*");
    expect(maskName("")).toBe("");
    expect(maskName("𠀀𠀁")).toBe("𠀀*"); // astral characters count once
  });
});

describe("maskText", () => {
  it("masks IDs and mobiles embedded in text", () => {
    expect(maskText("申请人身份证440103199001011234，电话13812345678。")).toBe(
      "申请人身份证4401**********1234，电话138****5678。",
    );
    expect(maskText("id=11010519491231002x&tel=+8613912345678")).toBe(
      "id=1101**********002x&tel=+86139****5678",
    );
    expect(maskText("call 138-1234-5678 or 0086 139 1234 5678")).toBe(
      "call 138-****-5678 or 0086 139 **** 5678",
    );
  });

  it("leaves other numbers alone", () => {
    expect(maskText("order 1381234567890123456789")).toBe("order 1381234567890123456789"); // 22-digit run
    expect(maskText("ticket 238123456789")).toBe("ticket 238123456789");
    expect(maskText("12812345678 is not a mobile")).toBe("12812345678 is not a mobile");
    expect(maskText("2026-10-08T00:00:00Z")).toBe("2026-10-08T00:00:00Z");
  });
});

describe("maskDeep", () => {
  it("masks name fields but not username, recursively, without mutating the input", () => {
    const input = {
      username: "zhangsan",
      realName: "张三丰",
      applicant: { fullName: "Li Lei", legal_rep_name: "王五", contactName: "赵六", phone: "13812345678" },
      people: [{ name: "钱七", displayName: "小钱", idNumber: "440103199001011234" }],
      note: "联系 13912345678",
    };
    const snapshot = structuredClone(input);
    expect(maskDeep(input)).toEqual({
      username: "zhangsan",
      realName: "张**",
      applicant: { fullName: "L*****", legal_rep_name: "王*", contactName: "赵*", phone: "138****5678" },
      people: [{ name: "钱*", displayName: "小*", idNumber: "4401**********1234" }],
      note: "联系 139****5678",
    });
    expect(input).toEqual(snapshot);
  });

  it("preserves cycles and shared references in the copy", () => {
    const node: Record<string, unknown> = { phone: "13812345678" };
    node.self = node;
    const list = [node, node];
    const out = maskDeep({ list }) as { list: Record<string, unknown>[] };
    const first = out.list[0]!;
    expect(first).not.toBe(node);
    expect(first.self).toBe(first);
    expect(out.list[1]).toBe(first);
    expect(first.phone).toBe("138****5678");
  });

  it("handles numbers, keys, Maps, Sets, Dates, Errors, toJSON and __proto__ keys", () => {
    class Applicant {
      constructor(readonly mobile: string) {}
      toJSON() {
        return { mobile: this.mobile };
      }
    }
    const error = new Error("lookup failed for 440103199001011234");
    const date = new Date("2026-01-04T00:00:00Z");
    const input = {
      asNumber: 13812345678,
      "13912345678": "key",
      map: new Map([["name", "张三"]]),
      set: new Set(["13812345678"]),
      date,
      error,
      applicant: new Applicant("13812345678"),
      ...JSON.parse('{"__proto__": {"phone": "13812345678"}}'),
    };
    const out = maskDeep(input);
    expect(out.asNumber).toBe("138****5678");
    expect(Object.keys(out)).toContain("139****5678");
    expect(out.map.get("name")).toBe("张*");
    expect([...out.set]).toEqual(["138****5678"]);
    expect(out.date).toEqual(date);
    expect(out.date).not.toBe(date);
    expect(out.error).toMatchObject({ name: "Error", message: "lookup failed for 4401**********1234" });
    expect(out.applicant).toEqual({ mobile: "138****5678" });
    expect(Object.getPrototypeOf(out)).toBe(Object.prototype);
    expect(JSON.stringify(out)).toContain('"__proto__":{"phone":"138****5678"}');
  });

  it("keeps primitives and binary data", () => {
    expect(maskDeep(null)).toBeNull();
    expect(maskDeep(42)).toBe(42);
    expect(maskDeep(true)).toBe(true);
    expect(maskDeep(undefined)).toBeUndefined();
    expect(maskDeep("13812345678")).toBe("138****5678");
    const bytes = new Uint8Array([1, 2, 3]);
    expect(maskDeep({ bytes }).bytes).toEqual(bytes);
  });

  it("masks every one of 10k log records (its speed is the bench's business, not a unit test's)", () => {
    const records = Array.from({ length: 10_000 }, (_, i) => ({
      id: i,
      realName: "张三丰",
      idNumber: "440103199001011234",
      phone: "13812345678",
      status: "submitted",
      note: "an ordinary note without numbers",
      tags: ["a", "b"],
    }));
    const masked = maskDeep(records) as typeof records;
    expect(masked).toHaveLength(10_000);
    expect(masked.every((r) => r.idNumber === "4401**********1234" && r.phone === "138****5678")).toBe(true);
    expect(masked.every((r) => r.status === "submitted" && r.note === records[0]!.note)).toBe(true);
  });

  it("leaves no ID-like or mobile-like run in the serialised output", () => {
    const digits = (n: number) =>
      fc.string({ unit: fc.constantFrom(..."0123456789"), minLength: n, maxLength: n });
    const idNumber = fc
      .tuple(digits(17), fc.constantFrom(..."0123456789Xx"))
      .map(([body, check]) => body + check);
    const mobile = fc
      .tuple(fc.constantFrom(..."3456789"), digits(9))
      .map(([second, rest]) => `1${second}${rest}`);
    // Printable ASCII and CJK only: JSON escapes of control characters would add digits of their own.
    const filler = fc.string({
      unit: fc.oneof(fc.constantFrom(..."0123456789 -+X"), fc.constantFrom(..."ab张三")),
    });
    const text = fc
      .array(fc.oneof(idNumber, mobile, filler), { maxLength: 6 })
      .map((parts) => parts.join(""));
    const leaf = fc.oneof(
      text,
      fc.integer(),
      fc.double(),
      fc.boolean(),
      fc.constant(null),
      fc.constant(13812345678),
    );
    const key = fc.oneof(text, fc.constantFrom("name", "username", "realName", "phone"));
    const value = fc.letrec((tie) => ({
      node: fc.oneof({ depthSize: "small" }, leaf, fc.array(tie("node")), fc.dictionary(key, tie("node"))),
    })).node;

    fc.assert(
      fc.property(value, (input) => {
        const json = JSON.stringify(maskDeep(input)) ?? "";
        expect(json).not.toMatch(ID_LIKE);
        expect(json).not.toMatch(MOBILE_LIKE);
      }),
      { numRuns: 500 },
    );
  });
});
