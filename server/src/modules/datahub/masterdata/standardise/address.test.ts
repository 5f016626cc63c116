import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { type AddressParts, formatAddress, parseAddress } from "./address";

const CASES: [string, AddressParts][] = [
  [
    "广东省广州市云溪区花城街道花城大道123号4栋501房",
    {
      province: "广东省",
      city: "广州市",
      district: "云溪区",
      subDistrict: "花城街道",
      road: "花城大道",
      number: "123号",
      building: "4栋",
      room: "501房",
    },
  ],
  [
    "广州市云溪区花城街花城大道123号之一4座501室",
    {
      city: "广州市",
      district: "云溪区",
      subDistrict: "花城街",
      road: "花城大道",
      number: "123号之一",
      building: "4座",
      room: "501室",
    },
  ],
  [
    "云溪区某某路88号某某花园3栋2单元1201",
    {
      district: "云溪区",
      road: "某某路",
      number: "88号",
      rest: "某某花园",
      building: "3栋2单元",
      room: "1201",
    },
  ],
  ["花城大道123号", { road: "花城大道", number: "123号" }],
  ["花城大道123", { road: "花城大道", number: "123" }],
  ["北京市朝阳区建国路88号", { province: "北京市", district: "朝阳区", road: "建国路", number: "88号" }],
  [
    "广东广州市天河区天河北路233号中信广场5801室",
    {
      province: "广东",
      city: "广州市",
      district: "天河区",
      road: "天河北路",
      number: "233号",
      rest: "中信广场",
      room: "5801室",
    },
  ],
  [
    "深圳市南山区粤海街道科技园路1号A座1502",
    {
      city: "深圳市",
      district: "南山区",
      subDistrict: "粤海街道",
      road: "科技园路",
      number: "1号",
      building: "A座",
      room: "1502",
    },
  ],
  [
    "广东省佛山市顺德区大良街道某某社区新城路1号",
    {
      province: "广东省",
      city: "佛山市",
      district: "顺德区",
      subDistrict: "大良街道某某社区",
      road: "新城路",
      number: "1号",
    },
  ],
  [
    "广州市番禺区钟村街道汉溪大道东290号",
    { city: "广州市", district: "番禺区", subDistrict: "钟村街道", road: "汉溪大道东", number: "290号" },
  ],
  [
    "广州市越秀区北京路步行街12号",
    { city: "广州市", district: "越秀区", road: "北京路步行街", number: "12号" },
  ],
  [
    "广州市海珠区某某村某某大街一巷5号",
    { city: "广州市", district: "海珠区", road: "某某村某某大街一巷", number: "5号" },
  ],
  [
    "广东省江门市台山市台城街道环市路3号",
    {
      province: "广东省",
      city: "江门市",
      district: "台山市",
      subDistrict: "台城街道",
      road: "环市路",
      number: "3号",
    },
  ],
  [
    "广州市白云区太和镇某某村委会某某路5号之3",
    { city: "广州市", district: "白云区", subDistrict: "太和镇某某村委会", road: "某某路", number: "5号之3" },
  ],
  [
    "江苏省南京市玄武区中山路1号",
    { province: "江苏省", city: "南京市", district: "玄武区", road: "中山路", number: "1号" },
  ],
  ["杭州市西湖区文三路90号", { city: "杭州市", district: "西湖区", road: "文三路", number: "90号" }],
  ["某某花园3栋501", { rest: "某某花园", building: "3栋", room: "501" }],
  ["城市花园5号楼302", { rest: "城市花园", building: "5号楼", room: "302" }],
  ["云溪区某某小区3栋", { district: "云溪区", rest: "某某小区", building: "3栋" }],
];

describe("parseAddress", () => {
  it.each(CASES)("splits %s", (text, parts) => {
    expect(parseAddress(text)).toEqual(parts);
  });

  it("does not read a road named after a city as a province", () => {
    expect(parseAddress("北京路88号")).toEqual({ road: "北京路", number: "88号" });
    expect(parseAddress("广东路1号")).toEqual({ road: "广东路", number: "1号" });
  });

  it("does not read 小区 or 社区 as a district", () => {
    expect(parseAddress("某某小区3栋501").district).toBeUndefined();
  });

  it("keeps a step-street before a house number as the road, not a sub-district", () => {
    expect(parseAddress("上下九步行街12号")).toEqual({ road: "上下九步行街", number: "12号" });
  });

  it("puts text it cannot read into rest", () => {
    expect(parseAddress("某某工业园")).toEqual({ rest: "某某工业园" });
    expect(parseAddress("广州市某某工业园（出租屋）")).toEqual({
      city: "广州市",
      rest: "某某工业园（出租屋）",
    });
  });

  it("returns no parts for empty text", () => {
    expect(parseAddress("")).toEqual({});
  });
});

describe("formatAddress", () => {
  it.each(CASES)("reproduces %s from its parts", (text) => {
    expect(formatAddress(parseAddress(text))).toBe(text);
  });

  it("orders parts as they are read: rest between the number and the building", () => {
    expect(
      formatAddress({ room: "1201", building: "3栋", rest: "某某花园", number: "88号", road: "某某路" }),
    ).toBe("某某路88号某某花园3栋1201");
  });

  it("round-trips any text, because parsing only partitions it", () => {
    const alphabet = [..."广东省州市云溪区花城街道大路号之一栋座室房单元小社村镇北京0123456789AB"];
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...alphabet), { maxLength: 40 }), (chars) => {
        const text = chars.join("");
        expect(formatAddress(parseAddress(text))).toBe(text);
      }),
      { numRuns: 500 },
    );
  });
});
