import type { CalendarEntry } from "./calendar";

export type HolidaySchedule = {
  /** "provisional" years hold only the statutory days until the State Council notice is out. */
  status: "official" | "provisional";
  source: string;
  entries: CalendarEntry[];
};

function holidays(name: string, ...dates: string[]): CalendarEntry[] {
  return dates.map((date) => ({ date, kind: "holiday", name }));
}

function workdays(name: string, ...dates: string[]): CalendarEntry[] {
  return dates.map((date) => ({ date, kind: "workday", name: `${name}调休上班` }));
}

function range(from: string, to: string): string[] {
  const out: string[] = [];
  for (let t = Date.parse(`${from}T00:00:00Z`); t <= Date.parse(`${to}T00:00:00Z`); t += 86_400_000) {
    out.push(new Date(t).toISOString().slice(0, 10));
  }
  return out;
}

export const OFFICIAL_SCHEDULES: Record<number, HolidaySchedule> = {
  2026: {
    status: "official",
    source:
      "国务院办公厅关于2026年部分节假日安排的通知（2025年11月4日，新华社；" +
      "https://politics.gmw.cn/2025-11/04/content_38391083.htm）",
    entries: [
      ...holidays("元旦", ...range("2026-01-01", "2026-01-03")),
      ...workdays("元旦", "2026-01-04"),
      ...holidays("春节", ...range("2026-02-15", "2026-02-23")),
      ...workdays("春节", "2026-02-14", "2026-02-28"),
      ...holidays("清明节", ...range("2026-04-04", "2026-04-06")),
      ...holidays("劳动节", ...range("2026-05-01", "2026-05-05")),
      ...workdays("劳动节", "2026-05-09"),
      ...holidays("端午节", ...range("2026-06-19", "2026-06-21")),
      ...holidays("中秋节", ...range("2026-09-25", "2026-09-27")),
      ...holidays("国庆节", ...range("2026-10-01", "2026-10-07")),
      ...workdays("国庆节", "2026-09-20", "2026-10-10"),
    ],
  },
  2027: {
    status: "provisional",
    source:
      "《全国年节及纪念日放假办法》（2024年修订）规定的法定假日，按2027年公历日期排定；" +
      "国务院办公厅2027年放假安排通知发布前的暂定数据，须由管理员更新",
    entries: [
      ...holidays("元旦", "2027-01-01"),
      ...holidays("春节", ...range("2027-02-05", "2027-02-08")),
      ...holidays("清明节", "2027-04-05"),
      ...holidays("劳动节", "2027-05-01", "2027-05-02"),
      ...holidays("端午节", "2027-06-09"),
      ...holidays("中秋节", "2027-09-15"),
      ...holidays("国庆节", ...range("2027-10-01", "2027-10-03")),
    ],
  },
};
