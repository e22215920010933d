/**
 * China's public holidays and make-up working days (调休), from the State Council General Office's
 * yearly notice 国务院办公厅关于XXXX年部分节假日安排的通知. Each arrangement below is one line of
 * the notice, quoted above it; dates are Beijing dates.
 *
 * Why a file and not a package: in November 2026 neither `chinese-days` (1.5.7) nor
 * `holiday-calendar` (1.3.3) on npm has 2027 yet either, so a package would not cover more, and
 * date-holidays has no make-up days at all. These lines were checked against both packages' data
 * and against the notice text as reprinted by Xinhua / People's Daily.
 *
 * To add a year: copy the notice (published each November for the next year) line by line, keep
 * the weekend days it calls 上班 in `workdays`. Years not listed fall back to the statutory days of
 * the 全国年节及纪念日放假办法 with no make-up days (see public-holidays.ts), which is wrong around
 * every long holiday: add the notice as soon as it is out.
 */
import type { OfficialNotice } from '../official-calendar';

export const CN_STATE_COUNCIL_NOTICES: readonly OfficialNotice[] = [
  {
    year: 2024,
    title: '国务院办公厅关于2024年部分节假日安排的通知',
    reference: '国办发明电〔2023〕7号',
    published: '2023-10-25',
    url: 'https://www.gov.cn/zhengce/content/202310/content_6911527.htm',
    arrangements: [
      // 一、元旦：1月1日放假，与周末连休。
      { name: '元旦', off: ['2024-01-01', '2024-01-01'], workdays: [] },
      // 二、春节：2月10日至17日放假调休，共8天。2月4日（星期日）、2月18日（星期日）上班。
      // (除夕 2月9日 is only "encouraged" as a day off: it stays a working day.)
      { name: '春节', off: ['2024-02-10', '2024-02-17'], workdays: ['2024-02-04', '2024-02-18'] },
      // 三、清明节：4月4日至6日放假调休，共3天。4月7日（星期日）上班。
      { name: '清明节', off: ['2024-04-04', '2024-04-06'], workdays: ['2024-04-07'] },
      // 四、劳动节：5月1日至5日放假调休，共5天。4月28日（星期日）、5月11日（星期六）上班。
      { name: '劳动节', off: ['2024-05-01', '2024-05-05'], workdays: ['2024-04-28', '2024-05-11'] },
      // 五、端午节：6月10日放假，与周末连休。
      { name: '端午节', off: ['2024-06-10', '2024-06-10'], workdays: [] },
      // 六、中秋节：9月15日至17日放假调休，共3天。9月14日（星期六）上班。
      { name: '中秋节', off: ['2024-09-15', '2024-09-17'], workdays: ['2024-09-14'] },
      // 七、国庆节：10月1日至7日放假调休，共7天。9月29日（星期日）、10月12日（星期六）上班。
      { name: '国庆节', off: ['2024-10-01', '2024-10-07'], workdays: ['2024-09-29', '2024-10-12'] },
    ],
  },
  {
    year: 2025,
    title: '国务院办公厅关于2025年部分节假日安排的通知',
    reference: '国办发明电〔2024〕12号',
    published: '2024-11-12',
    url: 'https://www.gov.cn/zhengce/zhengceku/202411/content_6986383.htm',
    arrangements: [
      // 一、元旦：1月1日（周三）放假1天，不调休。
      { name: '元旦', off: ['2025-01-01', '2025-01-01'], workdays: [] },
      // 二、春节：1月28日（农历除夕、周二）至2月4日（农历正月初七、周二）放假调休，共8天。
      //     1月26日（周日）、2月8日（周六）上班。
      { name: '春节', off: ['2025-01-28', '2025-02-04'], workdays: ['2025-01-26', '2025-02-08'] },
      // 三、清明节：4月4日（周五）至6日（周日）放假，共3天。
      { name: '清明节', off: ['2025-04-04', '2025-04-06'], workdays: [] },
      // 四、劳动节：5月1日（周四）至5日（周一）放假调休，共5天。4月27日（周日）上班。
      { name: '劳动节', off: ['2025-05-01', '2025-05-05'], workdays: ['2025-04-27'] },
      // 五、端午节：5月31日（周六）至6月2日（周一）放假，共3天。
      { name: '端午节', off: ['2025-05-31', '2025-06-02'], workdays: [] },
      // 六、国庆节、中秋节：10月1日（周三）至8日（周三）放假调休，共8天。
      //     9月28日（周日）、10月11日（周六）上班。
      {
        name: '国庆节、中秋节',
        off: ['2025-10-01', '2025-10-08'],
        workdays: ['2025-09-28', '2025-10-11'],
      },
    ],
  },
  {
    year: 2026,
    title: '国务院办公厅关于2026年部分节假日安排的通知',
    published: '2025-11-04',
    url: 'https://www.gov.cn/zhengce/zhengceku/202511/content_7047091.htm',
    arrangements: [
      // 一、元旦：1月1日（周四）至3日（周六）放假调休，共3天。1月4日（周日）上班。
      { name: '元旦', off: ['2026-01-01', '2026-01-03'], workdays: ['2026-01-04'] },
      // 二、春节：2月15日（农历腊月二十八、周日）至23日（农历正月初七、周一）放假调休，共9天。
      //     2月14日（周六）、2月28日（周六）上班。
      { name: '春节', off: ['2026-02-15', '2026-02-23'], workdays: ['2026-02-14', '2026-02-28'] },
      // 三、清明节：4月4日（周六）至6日（周一）放假，共3天。
      { name: '清明节', off: ['2026-04-04', '2026-04-06'], workdays: [] },
      // 四、劳动节：5月1日（周五）至5日（周二）放假调休，共5天。5月9日（周六）上班。
      { name: '劳动节', off: ['2026-05-01', '2026-05-05'], workdays: ['2026-05-09'] },
      // 五、端午节：6月19日（周五）至21日（周日）放假，共3天。
      { name: '端午节', off: ['2026-06-19', '2026-06-21'], workdays: [] },
      // 六、中秋节：9月25日（周五）至27日（周日）放假，共3天。
      { name: '中秋节', off: ['2026-09-25', '2026-09-27'], workdays: [] },
      // 七、国庆节：10月1日（周四）至7日（周三）放假调休，共7天。9月20日（周日）、10月10日（周六）上班。
      { name: '国庆节', off: ['2026-10-01', '2026-10-07'], workdays: ['2026-09-20', '2026-10-10'] },
    ],
  },
];
