/**
 * The buyer page's words in the languages buyers are written to (api.md: en, fr, es, de, zh); the
 * API chooses the language (`language` of the view: the case's `buyerLanguage`, else English).
 */
export interface Words {
  title: string;
  intro: string;
  items: string;
  quantity: (n: number) => string;
  statement: string;
  sendStatement: string;
  upload: string;
  sendFile: string;
  uploadsLeft: (n: number) => string;
  sentTitle: string;
  nothingSent: string;
  statementSent: string;
  fileSent: string;
  photo: string;
  video: string;
  closed: string;
  failed: (message: string) => string;
}

const en: Words = {
  title: 'Tell us what went wrong',
  intro: 'Describe the problem with your order and add photos or videos. Only the shop sees them.',
  items: 'Which items are concerned?',
  quantity: (n) => `× ${n}`,
  statement: 'What happened?',
  sendStatement: 'Send',
  upload: 'Photo or video',
  sendFile: 'Upload',
  uploadsLeft: (n) => `You can still upload ${n} files.`,
  sentTitle: 'What you sent',
  nothingSent: 'Nothing yet.',
  statementSent: 'Thank you, we received your message.',
  fileSent: 'Thank you, we received your file.',
  photo: 'Photo',
  video: 'Video',
  closed: 'This case is closed.',
  failed: (message) => `Not sent: ${message}`,
};

const fr: Words = {
  title: 'Dites-nous ce qui ne va pas',
  intro:
    'Décrivez le problème de votre commande et ajoutez des photos ou des vidéos. Seule la boutique les voit.',
  items: 'Quels articles sont concernés ?',
  quantity: (n) => `× ${n}`,
  statement: 'Que s’est-il passé ?',
  sendStatement: 'Envoyer',
  upload: 'Photo ou vidéo',
  sendFile: 'Téléverser',
  uploadsLeft: (n) => `Vous pouvez encore envoyer ${n} fichiers.`,
  sentTitle: 'Ce que vous avez envoyé',
  nothingSent: 'Rien pour l’instant.',
  statementSent: 'Merci, nous avons bien reçu votre message.',
  fileSent: 'Merci, nous avons bien reçu votre fichier.',
  photo: 'Photo',
  video: 'Vidéo',
  closed: 'Ce dossier est clos.',
  failed: (message) => `Non envoyé : ${message}`,
};

const es: Words = {
  title: 'Cuéntenos qué salió mal',
  intro: 'Describa el problema con su pedido y añada fotos o vídeos. Solo la tienda puede verlos.',
  items: '¿Qué artículos están afectados?',
  quantity: (n) => `× ${n}`,
  statement: '¿Qué ocurrió?',
  sendStatement: 'Enviar',
  upload: 'Foto o vídeo',
  sendFile: 'Subir',
  uploadsLeft: (n) => `Todavía puede subir ${n} archivos.`,
  sentTitle: 'Lo que ha enviado',
  nothingSent: 'Nada todavía.',
  statementSent: 'Gracias, hemos recibido su mensaje.',
  fileSent: 'Gracias, hemos recibido su archivo.',
  photo: 'Foto',
  video: 'Vídeo',
  closed: 'Este caso está cerrado.',
  failed: (message) => `No enviado: ${message}`,
};

const de: Words = {
  title: 'Sagen Sie uns, was schiefgelaufen ist',
  intro:
    'Beschreiben Sie das Problem mit Ihrer Bestellung und fügen Sie Fotos oder Videos hinzu. Nur der Shop sieht sie.',
  items: 'Welche Artikel sind betroffen?',
  quantity: (n) => `× ${n}`,
  statement: 'Was ist passiert?',
  sendStatement: 'Senden',
  upload: 'Foto oder Video',
  sendFile: 'Hochladen',
  uploadsLeft: (n) => `Sie können noch ${n} Dateien hochladen.`,
  sentTitle: 'Was Sie gesendet haben',
  nothingSent: 'Noch nichts.',
  statementSent: 'Danke, wir haben Ihre Nachricht erhalten.',
  fileSent: 'Danke, wir haben Ihre Datei erhalten.',
  photo: 'Foto',
  video: 'Video',
  closed: 'Dieser Fall ist abgeschlossen.',
  failed: (message) => `Nicht gesendet: ${message}`,
};

const zh: Words = {
  title: '告诉我们出了什么问题',
  intro: '请描述您订单的问题，并添加照片或视频。只有商店可以看到。',
  items: '哪些商品有问题？',
  quantity: (n) => `× ${n}`,
  statement: '发生了什么？',
  sendStatement: '发送',
  upload: '照片或视频',
  sendFile: '上传',
  uploadsLeft: (n) => `您还可以上传 ${n} 个文件。`,
  sentTitle: '您已发送的内容',
  nothingSent: '暂无。',
  statementSent: '谢谢，我们已收到您的留言。',
  fileSent: '谢谢，我们已收到您的文件。',
  photo: '照片',
  video: '视频',
  closed: '此案件已结案。',
  failed: (message) => `发送失败：${message}`,
};

const WORDS: Record<string, Words> = { en, fr, es, de, zh };

/** The words of a language the page has, English otherwise. */
export function wordsFor(language: string): Words {
  return WORDS[language] ?? en;
}
