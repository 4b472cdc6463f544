/**
 * The slice of the Bot API's Update/Message JSON the adapter reads. Kept loose on
 * purpose: @telegraf/types models messages as a wide union, and the mapper only
 * needs optional fields it checks one by one.
 */
export interface TgChat {
  id: number;
  type: 'private' | 'group' | 'supergroup' | 'channel';
  title?: string;
  username?: string;
  first_name?: string;
  last_name?: string;
}

export interface TgUser {
  id: number;
  is_bot: boolean;
  first_name: string;
  last_name?: string;
  username?: string;
}

export interface TgPhotoSize {
  file_id: string;
  file_unique_id?: string;
  width: number;
  height: number;
  file_size?: number;
}

export interface TgMessage {
  message_id: number;
  date: number;
  chat: TgChat;
  from?: TgUser;
  sender_chat?: TgChat;
  text?: string;
  caption?: string;
  photo?: TgPhotoSize[];
  location?: { latitude: number; longitude: number };
  venue?: { location: { latitude: number; longitude: number }; title?: string; address?: string };
  is_automatic_forward?: boolean;
  forward_origin?: { type: string; chat?: TgChat; message_id?: number };
  forward_from_chat?: TgChat;
  forward_from_message_id?: number;
  reply_to_message?: TgMessage;
  message_thread_id?: number;
  entities?: Array<{ type: string; offset: number; length: number }>;
}

export interface TgUpdate {
  update_id: number;
  message?: TgMessage;
  edited_message?: TgMessage;
  channel_post?: TgMessage;
  edited_channel_post?: TgMessage;
  [other: string]: unknown;
}

/** Which of the two bots an update came through. */
export type BotRole = 'bot' | 'citizen_bot';
