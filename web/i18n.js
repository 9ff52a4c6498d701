// Russian and English texts of the screen; the choice is kept in localStorage.
const TEXTS = {
  en: {
    skip: 'Skip to content', brand: 'SLA desk', 'nav.board': 'Board', 'nav.reports': 'Reports', 'nav.calendars': 'Calendars',
    signOut: 'Sign out', switchLang: 'Русский', switchLangLabel: 'Переключить на русский язык',
    'signin.title': 'Sign in', 'signin.key': 'API key', 'signin.help': 'Paste your API key. It is exchanged for a session that ends after 30 minutes without use; the key itself is not kept by the browser.', 'signin.submit': 'Sign in', 'signin.failed': 'Sign-in failed',
    'live.on': 'Live', 'live.off': 'Reconnecting…',
    'board.title': 'Open requests', 'board.titleStates': 'Requests: {states}', 'board.counts': '{total} shown by filter · {breached} breached · {atRisk} at risk', 'board.truncated': 'Showing the {n} most urgent; narrow the filters to see others.', 'board.empty': 'No requests match.',
    'replan.running': 'Calendar {calendar} changed (version {version}): re-planning open requests, {done} of {total} ({pct}%).', 'replan.finished': 'Calendar {calendar} changed (version {version}): {n} open requests re-planned at {at}.', 'replan.failed': '{n} failed: see the calendar version\'s re-plan report.',
    'board.col.request': 'Request', 'board.col.level': 'Level', 'board.col.customer': 'Customer', 'board.col.state': 'State', 'board.col.assignee': 'Assignee', 'board.col.clocks': 'Clocks (due · working time left)',
    'filter.legend': 'Filters', 'filter.level': 'Level', 'filter.customer': 'Customer', 'filter.office': 'Office', 'filter.assignee': 'Assignee', 'filter.state': 'State', 'filter.breached': 'Breached only', 'filter.atRisk': 'At risk only', 'filter.q': 'Search', 'filter.any': 'any', 'filter.open': 'open (all)', 'filter.apply': 'Apply', 'filter.reset': 'Reset',
    'flag.breached': 'Breached', 'flag.atRisk': 'At risk', 'flag.paused': 'Paused',
    'clock.first_response': 'First response', 'clock.resolution': 'Resolution',
    'clock.left': 'left', 'clock.overdue': 'overdue', 'clock.paused': 'paused', 'clock.met': 'met', 'clock.notRegulated': 'not regulated', 'clock.cancelled': 'cancelled', 'clock.offHours': 'outside working hours until {t}',
    'status.running': 'running', 'status.paused': 'paused', 'status.met': 'met', 'status.breached': 'breached', 'status.not_regulated': 'not regulated', 'status.cancelled': 'cancelled',
    'state.registered': 'registered', 'state.in_progress': 'in progress', 'state.waiting_on_customer': 'waiting on customer', 'state.resolved': 'resolved', 'state.closed': 'closed', 'state.cancelled': 'cancelled',
    'level.initial': 'initial', 'level.basic': 'basic', 'level.warranty': 'warranty', 'level.individual': 'individual', 'level.pilot': 'pilot',
    unassigned: 'unassigned', none: '—',
    'request.back': '← Board', 'request.clocks': 'Clocks', 'request.policy': 'Policy', 'request.timeline': 'Timeline', 'request.actions': 'Actions', 'request.temporal': 'Workflow history in the Temporal Web UI',
    'request.col.clock': 'Clock', 'request.col.status': 'Status', 'request.col.target': 'Target', 'request.col.used': 'Used', 'request.col.left': 'Left / overdue', 'request.col.due': 'Due', 'request.col.pauses': 'Paused', 'request.col.breached': 'Breached at',
    'request.customer': 'Customer', 'request.registered': 'Registered', 'request.assignee': 'Assignee', 'request.priority': 'Priority', 'request.ref': 'External ref', 'request.product': 'Product', 'request.channel': 'Channel · category', 'request.reporter': 'Reporter', 'request.received': 'Received', 'request.followUpOf': 'Follow-up of', 'request.description': 'Description',
    'request.timelineUnavailable': 'Workflow history unavailable: {reason}', 'request.noHistory': 'The timeline is for the support desk and operations.',
    'policy.level': '{level} level (catalogue {version}).', 'policy.first': 'First response within {h} working hours.', 'policy.resolution': 'Resolution within {h} working hours.', 'policy.noTargets': 'No regulated targets.',
    'policy.calendar': 'Counted on calendar “{id}” (version {version}, {zone}).', 'policy.warnings': 'Warnings at {list} of each target.', 'policy.escalation': 'Escalation {h} working hours after a breach to {who}.', 'policy.autoClose': 'A resolved request closes itself after {d} working days.', 'policy.contract': 'Contract {id}.', 'policy.escalationAtOnce': 'Escalation at the breach to {who}.',
    'action.kind': 'Action', 'action.author': 'Author', 'action.body': 'Text', 'action.visibility': 'Visibility', 'action.public': 'public', 'action.internal': 'internal', 'action.agent': 'Agent', 'action.group': 'Group', 'action.submit': 'Do it', 'action.done': 'Done: the request is now {state}.',
    'action.responses': 'Reply', 'action.wait-on-customer': 'Wait on the customer', 'action.resolve': 'Resolve', 'action.close': 'Close', 'action.reopen': 'Reopen', 'action.assignment': 'Assign',
    'reports.title': 'SLA compliance', 'reports.from': 'From', 'reports.to': 'To', 'reports.groupBy': 'Group by', 'reports.run': 'Show', 'reports.csv': 'Download CSV', 'reports.chart': 'Within target, % of decided clocks',
    'reports.group': 'Group', 'reports.requests': 'Requests', 'reports.open': 'Open', 'reports.fr': 'First response within target', 'reports.res': 'Resolution within target', 'reports.breaches': 'Breaches', 'reports.total': 'Total', 'reports.customerOnly': 'Your key reports on its customer only.',
    'group.customer': 'customer', 'group.level': 'level', 'group.office': 'office', 'group.agent': 'agent',
    'cal.title': 'Calendars', 'cal.calendar': 'Calendar', 'cal.month': 'Month', 'cal.show': 'Show', 'cal.versions': 'Versions', 'cal.effective': 'from {t}', 'cal.first': 'first version', 'cal.legend': 'Legend',
    'cal.whatif': 'What if', 'cal.start': 'Registered at (calendar time)', 'cal.hours': 'Target, working hours', 'cal.compute': 'Compute', 'cal.answer': 'Registered at {start} with a target of {h} working hours is due at {due}, because:', 'cal.interval': '{date} ({kind}): {from}–{to}, {h} h',
    'kind.regular': 'working day', 'kind.working-weekend': 'transferred working day', 'kind.short-working-weekend': 'short transferred working day', 'kind.short-day': 'short day', 'kind.special-hours': 'special hours', 'kind.partial-closure': 'partly closed', 'kind.holiday': 'holiday', 'kind.day-off': 'day off',
    weekdays: 'Mon,Tue,Wed,Thu,Fri,Sat,Sun', 'cal.extrapolated': 'beyond the calendar’s data: extrapolated',
    'notif.title': 'Notifications', 'notif.kind': 'Kind', 'notif.channel': 'Channel', 'notif.recipient': 'Recipient', 'notif.subject': 'Subject', 'notif.status': 'Delivery', 'notif.attempts': 'Attempts', 'notif.delivered': 'Delivered at',
    'state.waiting_on_third_party': 'waiting on a third party', 'clock.next_reply': 'Next reply', 'flag.closedForGood': 'Final',
    'priority.critical': 'critical', 'priority.high': 'high', 'priority.normal': 'normal', 'priority.low': 'low',
    'cancel.duplicate': 'duplicate', 'cancel.spam': 'spam', 'cancel.withdrawn': 'withdrawn by the customer',
    'delivery.pending': 'waiting to be sent', 'delivery.sending': 'sending', 'delivery.delivered': 'delivered', 'delivery.failed': 'failed',
    'channel.email': 'e-mail', 'channel.webhook': 'webhook', 'notifKind.warning': 'warning', 'notifKind.breach': 'breach', 'notifKind.escalation': 'escalation', 'notifKind.lifecycle': 'lifecycle',
    'action.reply': 'Reply to the customer', 'action.note': 'Internal note', 'action.wait_on_customer': 'Wait on the customer', 'action.wait_on_third_party': 'Wait on a third party', 'action.resume': 'Resume work',
    'action.customer_reply': 'Record the customer’s reply', 'action.cancel': 'Cancel the request', 'action.assign': 'Assign', 'action.set_priority': 'Change priority',
    'action.customerAuthor': 'Customer (who wrote)', 'action.party': 'Waiting on (developers, vendor…)', 'action.reason': 'Reason', 'action.priority': 'Priority', 'action.noteField': 'Note (optional)', 'action.summary': 'Resolution summary', 'action.replyBody': 'Reply text', 'action.customerBody': 'What the customer wrote', 'action.noteBody': 'Note text',
    'action.none': 'Nothing can be done to this request in its current state ({state}).', 'action.refused': 'Refused: {reason}', 'action.sending': 'Sending…',
    'timeline.showWorkflow': 'Show workflow events (Temporal)', 'timeline.empty': 'Nothing has happened yet.', 'timeline.workflowHidden': '{n} workflow events hidden',
    'tl.registered': 'Registered on the {level} level', 'tl.receivedAt': 'received {t}', 'tl.due': '{clock} due {t}', 'tl.dueAt': 'due {t}', 'tl.wasDue': 'was due {t}',
    'tl.replied': 'Replied to the customer', 'tl.internal_note': 'Internal note', 'tl.waiting_on_customer': 'Waiting on the customer', 'tl.remindAt': 'reminder {t}', 'tl.autoResolveAt': 'resolves itself {t} without a reply',
    'tl.waiting_on_third_party': 'Waiting on a third party', 'tl.waiting_on_party': 'Waiting on {party}', 'tl.paused': 'paused: {clocks}', 'tl.resumed': 'Work resumed',
    'tl.customer_replied': 'The customer replied', 'tl.customer_replied_after': 'The customer replied after the resolution', 'tl.resolved': 'Resolved', 'tl.resolved_auto': 'Resolved automatically: no reply from the customer', 'tl.autoCloseAt': 'closes itself {t}',
    'tl.customer_reminded': 'The customer was reminded', 'tl.waitingSince': 'waiting since {t}', 'tl.closed': 'Closed', 'tl.auto_closed': 'Closed automatically', 'tl.reopened': 'Reopened', 'tl.reopenCount': 'reopened {n} time(s)', 'tl.reopen_window_ended': 'Can no longer be reopened',
    'tl.cancelled': 'Cancelled: {reason}', 'tl.assigned': 'Assigned to {who}', 'tl.group': 'group {group}', 'tl.priority_changed': 'Priority changed from {from} to {to}', 'tl.deadlines_replanned': 'Deadlines re-planned after a calendar change',
    'tl.sla_warning': 'SLA warning: {clock} has used {pct} of its target', 'tl.sla_warning_missed': 'SLA warning not sent (its time had passed): {clock}, {pct}', 'tl.sla_breached': 'SLA breached: {clock}', 'tl.escalated': 'Escalated ({clock}, step {step})', 'tl.notify': 'told: {who}',
    'tl.notification_failed': 'A notification could not be delivered', 'tl.quiet_hours_ignored': 'Warning sent at once to {recipient}: their quiet-hours calendar is unknown', 'tl.notified': 'Notified {who} by {channel}',
    'src.domain': 'desk', 'src.temporal': 'workflow',
    error: 'Error', loading: 'Loading…', forbidden: 'Your key’s role may not see this view.',
  },
  ru: {
    skip: 'К содержимому', brand: 'SLA: служба поддержки', 'nav.board': 'Доска', 'nav.reports': 'Отчёты', 'nav.calendars': 'Календари',
    signOut: 'Выйти', switchLang: 'English', switchLangLabel: 'Switch to English',
    'signin.title': 'Вход', 'signin.key': 'API-ключ', 'signin.help': 'Вставьте свой API-ключ. Он обменивается на сеанс, который завершается через 30 минут бездействия; сам ключ браузер не хранит.', 'signin.submit': 'Войти', 'signin.failed': 'Не удалось войти',
    'live.on': 'Онлайн', 'live.off': 'Переподключение…',
    'board.title': 'Открытые обращения', 'board.titleStates': 'Обращения: {states}', 'board.counts': 'по фильтру: {total} · нарушено: {breached} · под угрозой: {atRisk}', 'board.truncated': 'Показаны {n} самых срочных; уточните фильтры, чтобы увидеть остальные.', 'board.empty': 'Нет подходящих обращений.',
    'replan.running': 'Календарь {calendar} изменён (версия {version}): сроки открытых обращений пересчитываются, {done} из {total} ({pct}%).', 'replan.finished': 'Календарь {calendar} изменён (версия {version}): сроки {n} открытых обращений пересчитаны в {at}.', 'replan.failed': 'Не удалось: {n}; см. отчёт о пересчёте версии календаря.',
    'board.col.request': 'Обращение', 'board.col.level': 'Уровень', 'board.col.customer': 'Клиент', 'board.col.state': 'Состояние', 'board.col.assignee': 'Исполнитель', 'board.col.clocks': 'Сроки (крайний срок · осталось рабочего времени)',
    'filter.legend': 'Фильтры', 'filter.level': 'Уровень', 'filter.customer': 'Клиент', 'filter.office': 'Офис', 'filter.assignee': 'Исполнитель', 'filter.state': 'Состояние', 'filter.breached': 'Только нарушенные', 'filter.atRisk': 'Только под угрозой', 'filter.q': 'Поиск', 'filter.any': 'любой', 'filter.open': 'открытые (все)', 'filter.apply': 'Применить', 'filter.reset': 'Сбросить',
    'flag.breached': 'Нарушено', 'flag.atRisk': 'Под угрозой', 'flag.paused': 'Пауза',
    'clock.first_response': 'Первый ответ', 'clock.resolution': 'Решение',
    'clock.left': 'осталось', 'clock.overdue': 'просрочено', 'clock.paused': 'на паузе', 'clock.met': 'выполнено', 'clock.notRegulated': 'не регламентировано', 'clock.cancelled': 'отменено', 'clock.offHours': 'нерабочее время до {t}',
    'status.running': 'идёт', 'status.paused': 'пауза', 'status.met': 'выполнено', 'status.breached': 'нарушено', 'status.not_regulated': 'не регламентировано', 'status.cancelled': 'отменено',
    'state.registered': 'зарегистрировано', 'state.in_progress': 'в работе', 'state.waiting_on_customer': 'ждёт клиента', 'state.resolved': 'решено', 'state.closed': 'закрыто', 'state.cancelled': 'отменено',
    'level.initial': 'начальный', 'level.basic': 'базовый', 'level.warranty': 'гарантийный', 'level.individual': 'индивидуальный', 'level.pilot': 'пилотный',
    unassigned: 'не назначено', none: '—',
    'request.back': '← Доска', 'request.clocks': 'Сроки', 'request.policy': 'Условия', 'request.timeline': 'Хронология', 'request.actions': 'Действия', 'request.temporal': 'История процесса в Temporal Web UI',
    'request.col.clock': 'Срок', 'request.col.status': 'Статус', 'request.col.target': 'Норматив', 'request.col.used': 'Использовано', 'request.col.left': 'Осталось / просрочено', 'request.col.due': 'Крайний срок', 'request.col.pauses': 'Паузы', 'request.col.breached': 'Нарушено в',
    'request.customer': 'Клиент', 'request.registered': 'Зарегистрировано', 'request.assignee': 'Исполнитель', 'request.priority': 'Приоритет', 'request.ref': 'Внешний номер', 'request.product': 'Продукт', 'request.channel': 'Канал · категория', 'request.reporter': 'Заявитель', 'request.received': 'Поступило', 'request.followUpOf': 'Продолжение обращения', 'request.description': 'Описание',
    'request.timelineUnavailable': 'История процесса недоступна: {reason}', 'request.noHistory': 'Хронология доступна службе поддержки и эксплуатации.',
    'policy.level': 'Уровень «{level}» (каталог {version}).', 'policy.first': 'Первый ответ — в течение {h} рабочих часов.', 'policy.resolution': 'Решение — в течение {h} рабочих часов.', 'policy.noTargets': 'Нормативы не установлены.',
    'policy.calendar': 'Считается по календарю «{id}» (версия {version}, {zone}).', 'policy.warnings': 'Предупреждения на {list} каждого норматива.', 'policy.escalation': 'Эскалация через {h} рабочих часов после нарушения: {who}.', 'policy.autoClose': 'Решённое обращение закрывается само через {d} рабочих дней.', 'policy.contract': 'Договор {id}.', 'policy.escalationAtOnce': 'Эскалация сразу при нарушении: {who}.',
    'action.kind': 'Действие', 'action.author': 'Автор', 'action.body': 'Текст', 'action.visibility': 'Видимость', 'action.public': 'клиенту', 'action.internal': 'внутренняя', 'action.agent': 'Сотрудник', 'action.group': 'Группа', 'action.submit': 'Выполнить', 'action.done': 'Готово: состояние — {state}.',
    'action.responses': 'Ответить', 'action.wait-on-customer': 'Ждать клиента', 'action.resolve': 'Решить', 'action.close': 'Закрыть', 'action.reopen': 'Открыть снова', 'action.assignment': 'Назначить',
    'reports.title': 'Соблюдение SLA', 'reports.from': 'С', 'reports.to': 'По', 'reports.groupBy': 'Группировать по', 'reports.run': 'Показать', 'reports.csv': 'Скачать CSV', 'reports.chart': 'В срок, % завершённых сроков',
    'reports.group': 'Группа', 'reports.requests': 'Обращений', 'reports.open': 'Открыто', 'reports.fr': 'Первый ответ в срок', 'reports.res': 'Решение в срок', 'reports.breaches': 'Нарушений', 'reports.total': 'Итого', 'reports.customerOnly': 'Ваш ключ видит отчёт только по своему клиенту.',
    'group.customer': 'клиенту', 'group.level': 'уровню', 'group.office': 'офису', 'group.agent': 'сотруднику',
    'cal.title': 'Календари', 'cal.calendar': 'Календарь', 'cal.month': 'Месяц', 'cal.show': 'Показать', 'cal.versions': 'Версии', 'cal.effective': 'с {t}', 'cal.first': 'первая версия', 'cal.legend': 'Обозначения',
    'cal.whatif': 'Что если', 'cal.start': 'Зарегистрировано (время календаря)', 'cal.hours': 'Норматив, рабочих часов', 'cal.compute': 'Рассчитать', 'cal.answer': 'Зарегистрировано {start}, норматив {h} рабочих часов — срок {due}, потому что:', 'cal.interval': '{date} ({kind}): {from}–{to}, {h} ч',
    'kind.regular': 'рабочий день', 'kind.working-weekend': 'перенесённый рабочий день', 'kind.short-working-weekend': 'сокращённый перенесённый рабочий день', 'kind.short-day': 'сокращённый день', 'kind.special-hours': 'особые часы', 'kind.partial-closure': 'частично закрыто', 'kind.holiday': 'праздник', 'kind.day-off': 'выходной',
    weekdays: 'Пн,Вт,Ср,Чт,Пт,Сб,Вс', 'cal.extrapolated': 'за пределами данных календаря: экстраполяция',
    'notif.title': 'Уведомления', 'notif.kind': 'Вид', 'notif.channel': 'Канал', 'notif.recipient': 'Получатель', 'notif.subject': 'Тема', 'notif.status': 'Доставка', 'notif.attempts': 'Попыток', 'notif.delivered': 'Доставлено',
    'state.waiting_on_third_party': 'ждёт третью сторону', 'clock.next_reply': 'Следующий ответ', 'flag.closedForGood': 'Завершено',
    'priority.critical': 'критический', 'priority.high': 'высокий', 'priority.normal': 'обычный', 'priority.low': 'низкий',
    'cancel.duplicate': 'дубликат', 'cancel.spam': 'спам', 'cancel.withdrawn': 'отозвано клиентом',
    'delivery.pending': 'ждёт отправки', 'delivery.sending': 'отправляется', 'delivery.delivered': 'доставлено', 'delivery.failed': 'не доставлено',
    'channel.email': 'эл. почта', 'channel.webhook': 'вебхук', 'notifKind.warning': 'предупреждение', 'notifKind.breach': 'нарушение', 'notifKind.escalation': 'эскалация', 'notifKind.lifecycle': 'ход обращения',
    'action.reply': 'Ответить клиенту', 'action.note': 'Внутренняя заметка', 'action.wait_on_customer': 'Ждать клиента', 'action.wait_on_third_party': 'Ждать третью сторону', 'action.resume': 'Возобновить работу',
    'action.customer_reply': 'Записать ответ клиента', 'action.cancel': 'Отменить обращение', 'action.assign': 'Назначить', 'action.set_priority': 'Изменить приоритет',
    'action.customerAuthor': 'Клиент (кто написал)', 'action.party': 'Кого ждём (разработчики, поставщик…)', 'action.reason': 'Причина', 'action.priority': 'Приоритет', 'action.noteField': 'Примечание (необязательно)', 'action.summary': 'Итог решения', 'action.replyBody': 'Текст ответа', 'action.customerBody': 'Что написал клиент', 'action.noteBody': 'Текст заметки',
    'action.none': 'В текущем состоянии ({state}) с обращением ничего сделать нельзя.', 'action.refused': 'Отказано: {reason}', 'action.sending': 'Отправка…',
    'timeline.showWorkflow': 'Показать события процесса (Temporal)', 'timeline.empty': 'Пока ничего не произошло.', 'timeline.workflowHidden': 'скрыто событий процесса: {n}',
    'tl.registered': 'Зарегистрировано, уровень «{level}»', 'tl.receivedAt': 'поступило {t}', 'tl.due': '{clock} — до {t}', 'tl.dueAt': 'срок {t}', 'tl.wasDue': 'срок был {t}',
    'tl.replied': 'Ответ клиенту', 'tl.internal_note': 'Внутренняя заметка', 'tl.waiting_on_customer': 'Ждём клиента', 'tl.remindAt': 'напоминание {t}', 'tl.autoResolveAt': 'без ответа решится само {t}',
    'tl.waiting_on_third_party': 'Ждём третью сторону', 'tl.waiting_on_party': 'Ждём: {party}', 'tl.paused': 'на паузе: {clocks}', 'tl.resumed': 'Работа возобновлена',
    'tl.customer_replied': 'Клиент ответил', 'tl.customer_replied_after': 'Клиент ответил после решения', 'tl.resolved': 'Решено', 'tl.resolved_auto': 'Решено автоматически: клиент не ответил', 'tl.autoCloseAt': 'закроется само {t}',
    'tl.customer_reminded': 'Клиенту отправлено напоминание', 'tl.waitingSince': 'ждём с {t}', 'tl.closed': 'Закрыто', 'tl.auto_closed': 'Закрыто автоматически', 'tl.reopened': 'Открыто снова', 'tl.reopenCount': 'открывалось повторно: {n}', 'tl.reopen_window_ended': 'Повторно открыть уже нельзя',
    'tl.cancelled': 'Отменено: {reason}', 'tl.assigned': 'Назначено: {who}', 'tl.group': 'группа {group}', 'tl.priority_changed': 'Приоритет изменён: {from} → {to}', 'tl.deadlines_replanned': 'Сроки пересчитаны после изменения календаря',
    'tl.sla_warning': 'Предупреждение SLA: {clock} — израсходовано {pct} норматива', 'tl.sla_warning_missed': 'Предупреждение SLA не отправлено (его время прошло): {clock}, {pct}', 'tl.sla_breached': 'Нарушение SLA: {clock}', 'tl.escalated': 'Эскалация ({clock}, шаг {step})', 'tl.notify': 'уведомлены: {who}',
    'tl.notification_failed': 'Уведомление не удалось доставить', 'tl.quiet_hours_ignored': 'Предупреждение отправлено сразу ({recipient}): календарь тихих часов неизвестен', 'tl.notified': 'Уведомление: {who} ({channel})',
    'src.domain': 'служба', 'src.temporal': 'процесс',
    error: 'Ошибка', loading: 'Загрузка…', forbidden: 'Роли вашего ключа этот раздел недоступен.',
  },
};

export let lang = globalThis.localStorage?.getItem('lang') === 'ru' ? 'ru' : 'en';

export function setLang(l) {
  lang = l;
  localStorage.setItem('lang', l);
  document.documentElement.lang = l;
}

/** The text for a key with {placeholders} filled in; the key itself when missing. */
export function t(key, vars = {}) {
  const s = TEXTS[lang][key] ?? TEXTS.en[key] ?? key;
  return s.replace(/\{(\w+)\}/g, (_, k) => String(vars[k] ?? ''));
}

/** Fills every [data-i18n] element of the static page. */
export function translateStatic(root = document) {
  for (const el of root.querySelectorAll('[data-i18n]')) el.textContent = t(el.dataset.i18n);
}

const locale = () => (lang === 'ru' ? 'ru-RU' : 'en-GB');

/** An ISO instant shown in the calendar's time zone, with the zone named. */
export function formatInstant(iso, zone) {
  if (!iso) return t('none');
  const d = new Date(iso);
  const f = new Intl.DateTimeFormat(locale(), { timeZone: zone, day: '2-digit', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit', timeZoneName: 'short' });
  return f.format(d);
}

/** Working time as H:MM:SS (hours may exceed 24: they are working hours). */
export function formatDuration(ms) {
  const total = Math.max(0, Math.floor(ms / 1000));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  return `${h}:${String(m).padStart(2, '0')}:${String(s).padStart(2, '0')}`;
}

export const formatHours = (h) => (h == null ? t('none') : new Intl.NumberFormat(locale(), { maximumFractionDigits: 2 }).format(h));
export const formatPct = (p) => (p == null ? t('none') : `${new Intl.NumberFormat(locale(), { maximumFractionDigits: 1 }).format(p)} %`);
