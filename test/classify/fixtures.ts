import { parseInstallation, type Installation } from '../../src/config/installation.js';

/** A small installation written for these tests: five topics, four departments. */
export function testInstallation(): Installation {
  return parseInstallation({
    territory: { name: 'Тестоград' },
    departments: [
      { code: 'roads', name: 'Комитет дорожного хозяйства' },
      { code: 'housing', name: 'Комитет ЖКХ' },
      { code: 'transport', name: 'Комитет по транспорту' },
      { code: 'clean', name: 'Управление благоустройства' },
    ],
    default_department: 'clean',
    topics: [
      { group: 'Дороги', name: 'Ямы на дорогах', keywords: ['ям', 'асфальт', 'дорог'], department: 'roads' },
      { group: 'ЖКХ', name: 'Отопление', keywords: ['отоплен', 'батаре', 'холодн'], department: 'housing', priority: 'high' },
      { group: 'Транспорт', name: 'Общественный транспорт', keywords: ['автобус', 'маршрут', 'остановк', 'троллейбус'], department: 'transport' },
      { group: 'Благоустройство', name: 'Вывоз мусора', keywords: ['мусор', 'контейнер', 'свалк'], department: 'clean' },
      { group: 'Дороги', name: 'Уличное освещение', keywords: ['фонар', 'освещен'], department: 'roads' },
    ],
  });
}
